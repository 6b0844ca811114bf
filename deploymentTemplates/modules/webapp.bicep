// App Service on Linux (.NET 10) hosting the ClinicBot ASP.NET Core app: several instances behind the
// platform load balancer, HTTPS only, TLS 1.2+, FTP(S) off, always on, WebSockets on (built-in
// Direct Line streaming and SignalR), health check on /healthz, running as a user-assigned managed
// identity that also resolves the Key Vault references in the app settings.

@description('Name of the App Service plan.')
param planName string

@description('Name of the web app (becomes <name>.azurewebsites.net).')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('App Service plan SKU.')
param skuName string

@description('Number of instances.')
@minValue(1)
@maxValue(30)
param instanceCount int

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Plain (non-secret) app settings: name -> value.')
param plainSettings object

@description('Secret app settings: setting name -> Key Vault secret name. Each becomes a Key Vault reference.')
param keyVaultSettings object

@description('Key Vault URI (https://<vault>.vault.azure.net/).')
param keyVaultUri string

var keyVaultReferences = map(items(keyVaultSettings), setting => {
  name: setting.key
  value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${setting.value}/)'
})

var plainAppSettings = map(items(plainSettings), setting => {
  name: setting.key
  value: setting.value
})

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: true
      webSocketsEnabled: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: concat(plainAppSettings, keyVaultReferences)
    }
  }
}

// No publishing passwords: deploy with `az webapp deploy` (Microsoft Entra ID).
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
