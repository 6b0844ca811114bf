// ClinicBot on Azure: App Service (Linux, .NET 10) + Azure Bot Service + Cosmos DB for NoSQL +
// Azure AI Language (CLU) + Azure SignalR Service + Key Vault + Application Insights.
// Every parameter is described in docs/deploy.md (a test keeps that table complete).
// No secret has a default: secrets arrive as @secure() parameters and are stored only in Key Vault;
// the web app reads them through Key Vault references.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------- naming and placement

@description('Short lowercase prefix for every resource name (letters and digits, 3-10 characters).')
@minLength(3)
@maxLength(10)
param namePrefix string = 'clinicbot'

@description('Azure region for every regional resource (the bot registration itself is global).')
param location string = resourceGroup().location

@description('Tags applied to every resource.')
param tags object = {
  application: 'ClinicBot'
}

// ---------------------------------------------------------------- App Service

@description('App Service plan SKU (Linux). Basic and up support several instances; Premium v3 is recommended for production.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param appServicePlanSku string = 'P0v3'

@description('Number of web app instances (2 or more for availability; console updates cross instances through SignalR Service).')
@minValue(1)
@maxValue(30)
param instanceCount int = 2

// ---------------------------------------------------------------- Bot Service identity and channels

@description('Display name of the bot in channels.')
param botDisplayName string = 'ClinicBot'

@description('Azure Bot Service pricing tier. Web Chat, Direct Line and Facebook are standard channels, free on F0.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Bot identity: UserAssignedMSI (the web app\'s managed identity, no password) or SingleTenant (an app registration in this tenant with a client secret). Multi-tenant is not offered: new multi-tenant bots can no longer be created.')
@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param botAppType string = 'UserAssignedMSI'

@description('Application (client) id of the single-tenant app registration. Required when botAppType is SingleTenant; ignored otherwise.')
param botAppId string = ''

@description('Client secret of the single-tenant app registration (SingleTenant only). Stored in Key Vault as MicrosoftAppPassword. Empty: keep the stored one.')
@secure()
param microsoftAppPassword string = ''

@description('Direct Line / Web Chat channel secret the bot exchanges for Web Chat tokens. Stored in Key Vault as WebChat--DirectLineSecret. Empty: keep the stored one.')
@secure()
param webChatDirectLineSecret string = ''

@description('Key the bot\'s built-in Direct Line endpoint signs its tokens with. Stored in Key Vault as DirectLine--TokenSigningKey. Empty: keep the stored one.')
@secure()
param directLineTokenSigningKey string = ''

@description('Key that signs patient-portal links. Stored in Key Vault as PatientPortal--SigningKey. Empty: keep the stored one.')
@secure()
param patientPortalSigningKey string = ''

@description('Create the Facebook (Messenger) channel. Needs all four facebook* parameters.')
param enableFacebookChannel bool = false

@description('Facebook app id (from developers.facebook.com). Not a secret.')
param facebookAppId string = ''

@description('Facebook app secret. Used by the Facebook channel and stored in Key Vault as Messenger--AppSecret.')
@secure()
param facebookAppSecret string = ''

@description('Facebook page id. Not a secret.')
param facebookPageId string = ''

@description('Facebook page access token. Used by the Facebook channel and stored in Key Vault as Messenger--PageAccessToken.')
@secure()
param facebookPageAccessToken string = ''

// ---------------------------------------------------------------- Cosmos DB

@description('Cosmos DB capacity: Serverless (pay per request, single region) or Autoscale (provisioned throughput shared by the database).')
@allowed([
  'Serverless'
  'Autoscale'
])
param cosmosCapacityMode string = 'Serverless'

@description('Autoscale maximum RU/s shared by the database (Autoscale only; at least 1000).')
@minValue(1000)
@maxValue(1000000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Days conversation transcripts are kept; Cosmos deletes older ones (container default TTL).')
@minValue(1)
@maxValue(3650)
param transcriptRetentionDays int = 90

// ---------------------------------------------------------------- Azure AI Language (CLU)

@description('Azure AI Language pricing tier: F0 (free, one per subscription) or S.')
@allowed([
  'F0'
  'S'
])
param languageSku string = 'S'

@description('Disable API keys on the Language resource so that only Microsoft Entra ID (managed identity) is accepted.')
param languageDisableLocalAuth bool = true

@description('Name of the CLU project imported into the Language resource.')
param cluProjectName string = 'ClinicBot'

@description('Name of the CLU deployment the bot queries.')
param cluDeploymentName string = 'production'

// ---------------------------------------------------------------- SignalR Service

@description('Azure SignalR Service tier: Free_F1 (20 connections, no SLA: trials) or Standard_S1.')
@allowed([
  'Free_F1'
  'Standard_S1'
])
param signalRSku string = 'Standard_S1'

@description('SignalR Service units (Standard_S1 only; 1 unit = 1,000 concurrent connections).')
@minValue(1)
@maxValue(100)
param signalRCapacity int = 1

// ---------------------------------------------------------------- Key Vault, monitoring, operators

@description('Days a deleted Key Vault or secret can be recovered (7-90). Purge protection is always on.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionDays int = 90

@description('Days Log Analytics keeps logs and Application Insights telemetry (30-730).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Optional object id of the person or group that operates the deployment: gets Key Vault Secrets Officer (to set secrets) and Cognitive Services Language Owner (to import and deploy the CLU project). Empty: no grants.')
param operatorPrincipalId string = ''

@description('Type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

// ---------------------------------------------------------------- names

var prefix = toLower(namePrefix)
var suffix = uniqueString(resourceGroup().id)
var names = {
  identity: '${prefix}-id-${suffix}'
  workspace: '${prefix}-log-${suffix}'
  appInsights: '${prefix}-appi-${suffix}'
  keyVault: take('${prefix}-kv-${suffix}', 24)
  cosmos: '${prefix}-cosmos-${suffix}'
  language: '${prefix}-lang-${suffix}'
  signalR: '${prefix}-sigr-${suffix}'
  plan: '${prefix}-plan-${suffix}'
  webApp: '${prefix}-app-${suffix}'
  bot: '${prefix}-bot-${suffix}'
}

var cosmosDatabaseName = 'clinicbot'
var messengerRetentionSeconds = 7 * 24 * 60 * 60

// Key Vault secret names (letters, digits and dashes; `--` stands for the `:` of the setting name).
var secretNames = {
  microsoftAppPassword: 'MicrosoftAppPassword'
  webChatDirectLineSecret: 'WebChat--DirectLineSecret'
  messengerAppSecret: 'Messenger--AppSecret'
  messengerPageAccessToken: 'Messenger--PageAccessToken'
  directLineTokenSigningKey: 'DirectLine--TokenSigningKey'
  patientPortalSigningKey: 'PatientPortal--SigningKey'
}

// ---------------------------------------------------------------- resources

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionDays
    secretValues: {
      '${secretNames.microsoftAppPassword}': botAppType == 'SingleTenant' ? microsoftAppPassword : ''
      '${secretNames.webChatDirectLineSecret}': webChatDirectLineSecret
      '${secretNames.messengerAppSecret}': facebookAppSecret
      '${secretNames.messengerPageAccessToken}': facebookPageAccessToken
      '${secretNames.directLineTokenSigningKey}': directLineTokenSigningKey
      '${secretNames.patientPortalSigningKey}': patientPortalSigningKey
    }
    appIdentityName: names.identity
    appPrincipalId: identity.outputs.principalId
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: names.cosmos
    location: location
    tags: tags
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    databaseName: cosmosDatabaseName
    transcriptTtlSeconds: transcriptRetentionDays * 24 * 60 * 60
    messengerTtlSeconds: messengerRetentionSeconds
    appIdentityName: names.identity
    appPrincipalId: identity.outputs.principalId
  }
}

module language 'modules/language.bicep' = {
  name: 'language'
  params: {
    name: names.language
    location: location
    tags: tags
    skuName: languageSku
    disableLocalAuth: languageDisableLocalAuth
    appIdentityName: names.identity
    appPrincipalId: identity.outputs.principalId
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
}

module signalR 'modules/signalr.bicep' = {
  name: 'signalR'
  params: {
    name: names.signalR
    location: location
    tags: tags
    skuName: signalRSku
    capacity: signalRCapacity
    appIdentityName: names.identity
    appPrincipalId: identity.outputs.principalId
  }
}

var botClientId = botAppType == 'UserAssignedMSI' ? identity.outputs.clientId : botAppId
var signalREndpoint = 'https://${signalR.outputs.hostName}'

var plainSettings = {
  ASPNETCORE_ENVIRONMENT: 'Production'
  // appsettings.json binds to localhost:3978 for local runs; App Service forwards to port 8080.
  Urls: 'http://+:8080'
  WEBSITES_PORT: '8080'
  // Lets DefaultAzureCredential / ManagedIdentityCredential pick the user-assigned identity.
  AZURE_CLIENT_ID: identity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
  MicrosoftAppType: botAppType
  MicrosoftAppId: botClientId
  MicrosoftAppTenantId: tenant().tenantId
  Storage__Provider: 'Cosmos'
  Storage__Cosmos__AccountEndpoint: cosmos.outputs.endpoint
  Storage__Cosmos__Database: cosmosDatabaseName
  Recognizer__Provider: 'Clu'
  Recognizer__Clu__Endpoint: language.outputs.endpoint
  Recognizer__Clu__ProjectName: cluProjectName
  Recognizer__Clu__DeploymentName: cluDeploymentName
  Azure__SignalR__Endpoint: signalREndpoint
  // Not a secret: the SignalR SDK authenticates with the managed identity named by ClientId.
  Azure__SignalR__ConnectionString: 'Endpoint=${signalREndpoint};AuthType=azure.msi;ClientId=${identity.outputs.clientId};Version=1.0;'
}

var keyVaultSettings = union(
  {
    WebChat__DirectLineSecret: secretNames.webChatDirectLineSecret
    DirectLine__TokenSigningKey: secretNames.directLineTokenSigningKey
    PatientPortal__SigningKey: secretNames.patientPortalSigningKey
  },
  botAppType == 'SingleTenant' ? { MicrosoftAppPassword: secretNames.microsoftAppPassword } : {},
  enableFacebookChannel
    ? {
        Messenger__AppSecret: secretNames.messengerAppSecret
        Messenger__PageAccessToken: secretNames.messengerPageAccessToken
      }
    : {}
)

module webApp 'modules/webapp.bicep' = {
  name: 'webApp'
  params: {
    planName: names.plan
    name: names.webApp
    location: location
    tags: tags
    skuName: appServicePlanSku
    instanceCount: instanceCount
    identityId: identity.outputs.id
    plainSettings: plainSettings
    keyVaultSettings: keyVaultSettings
    keyVaultUri: keyVault.outputs.uri
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: names.bot
    displayName: botDisplayName
    tags: tags
    skuName: botSku
    messagingEndpoint: 'https://${webApp.outputs.defaultHostName}/api/messages'
    appType: botAppType
    appId: botClientId
    tenantId: tenant().tenantId
    msiResourceId: identity.outputs.id
    appInsightsAppId: monitoring.outputs.appInsightsAppId
    enableFacebook: enableFacebookChannel
    facebookAppId: facebookAppId
    facebookAppSecret: facebookAppSecret
    facebookPageId: facebookPageId
    facebookPageAccessToken: facebookPageAccessToken
  }
}

// ---------------------------------------------------------------- outputs (no secrets)

@description('Public URL of the web app.')
output webAppUrl string = 'https://${webApp.outputs.defaultHostName}'

@description('Name of the web app (for az webapp deploy).')
output webAppName string = webApp.outputs.name

@description('Messaging endpoint registered with Azure Bot Service.')
output botMessagingEndpoint string = bot.outputs.messagingEndpoint

@description('Name of the Azure Bot resource.')
output botName string = bot.outputs.name

@description('Microsoft App ID the bot runs as.')
output botAppId string = botClientId

@description('Client id of the web app\'s user-assigned managed identity.')
output managedIdentityClientId string = identity.outputs.clientId

@description('Cosmos DB account endpoint.')
output cosmosEndpoint string = cosmos.outputs.endpoint

@description('Cosmos DB database name.')
output cosmosDatabase string = cosmos.outputs.databaseName

@description('Azure AI Language endpoint (CLU).')
output languageEndpoint string = language.outputs.endpoint

@description('Name of the Azure AI Language resource (for the CLU project import).')
output languageName string = language.outputs.name

@description('Azure SignalR Service endpoint.')
output signalREndpoint string = signalREndpoint

@description('Key Vault name (for az keyvault secret set).')
output keyVaultName string = keyVault.outputs.name

@description('Key Vault URI.')
output keyVaultUri string = keyVault.outputs.uri

@description('Application Insights resource name.')
output appInsightsName string = monitoring.outputs.appInsightsName
