// Azure AI Language (kind TextAnalytics) for conversational language understanding (CLU).
// A custom subdomain is required for Microsoft Entra ID auth; with local (key) auth disabled the app
// calls it with its managed identity, which gets Cognitive Services Language Reader (predict only).

@description('Name of the Language account; also its custom subdomain.')
param name string

@description('Azure region (must offer CLU).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Pricing tier: F0 (free, one per subscription) or S.')
@allowed([
  'F0'
  'S'
])
param skuName string

@description('Disable API-key authentication so that only Microsoft Entra ID tokens are accepted.')
param disableLocalAuth bool

@description('Name of the web app\'s user-assigned managed identity (seeds role-assignment names, known before deployment).')
param appIdentityName string

@description('Principal id of the web app\'s managed identity (gets Cognitive Services Language Reader).')
param appPrincipalId string

@description('Optional principal id of the person or group that imports and deploys the CLU project (gets Cognitive Services Language Owner). Empty: none.')
param operatorPrincipalId string

@description('Type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string

var languageReaderRoleId = '7628b7b8-a8b2-4cdc-b46f-e9b35248918e'
var languageOwnerRoleId = 'f07febfe-79bc-46b1-8b37-790e26e6e498'

resource language 'Microsoft.CognitiveServices/accounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'TextAnalytics'
  sku: {
    name: skuName
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: disableLocalAuth
    publicNetworkAccess: 'Enabled'
  }
}

resource appLanguageReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(language.id, appIdentityName, languageReaderRoleId)
  scope: language
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', languageReaderRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorLanguageOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(language.id, operatorPrincipalId, languageOwnerRoleId)
  scope: language
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', languageOwnerRoleId)
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}

output name string = language.name
output endpoint string = language.properties.endpoint
