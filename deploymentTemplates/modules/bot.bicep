// Azure Bot Service registration with the Direct Line, Web Chat and (optionally) Facebook channels.
// Identity: the web app's user-assigned managed identity (UserAssignedMSI) or a single-tenant app
// registration (SingleTenant). Multi-tenant bots can no longer be created and are not offered.

@description('Name of the Azure Bot resource (its bot handle).')
param name string

@description('Display name shown in channels.')
param displayName string

@description('Tags applied to every resource.')
param tags object

@description('Bot Service pricing tier (standard channels such as Web Chat and Facebook are free on F0).')
@allowed([
  'F0'
  'S1'
])
param skuName string

@description('HTTPS messaging endpoint: https://<app>/api/messages.')
param messagingEndpoint string

@description('How the bot authenticates.')
@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param appType string

@description('Client id of the app registration (SingleTenant) or of the user-assigned managed identity.')
param appId string

@description('Microsoft Entra tenant id of the app registration or identity.')
param tenantId string

@description('Resource id of the user-assigned managed identity (UserAssignedMSI only).')
param msiResourceId string

@description('Application Insights application id for the bot\'s channel analytics (empty: none).')
param appInsightsAppId string

@description('Create the Facebook channel.')
param enableFacebook bool

@description('Facebook app id.')
param facebookAppId string

@description('Facebook app secret.')
@secure()
param facebookAppSecret string

@description('Facebook page id.')
param facebookPageId string

@description('Facebook page access token.')
@secure()
param facebookPageAccessToken string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: skuName
  }
  properties: {
    displayName: displayName
    endpoint: messagingEndpoint
    msaAppType: appType
    msaAppId: appId
    msaAppTenantId: tenantId
    msaAppMSIResourceId: appType == 'UserAssignedMSI' ? msiResourceId : null
    developerAppInsightsApplicationId: empty(appInsightsAppId) ? null : appInsightsAppId
    publicNetworkAccess: 'Enabled'
  }
}

resource directLine 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'DirectLineChannel'
  location: 'global'
  properties: {
    channelName: 'DirectLineChannel'
    properties: {
      sites: [
        {
          siteName: 'Default Site'
          isEnabled: true
          isV1Enabled: false
          isV3Enabled: true
          isSecureSiteEnabled: false
          isWebchatPreviewEnabled: false
        }
      ]
    }
  }
}

resource webChat 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'WebChatChannel'
  location: 'global'
  properties: {
    channelName: 'WebChatChannel'
    properties: {
      sites: [
        {
          siteName: 'Default Site'
          isEnabled: true
          isWebchatPreviewEnabled: true
        }
      ]
    }
  }
}

resource facebook 'Microsoft.BotService/botServices/channels@2022-09-15' = if (enableFacebook) {
  parent: bot
  name: 'FacebookChannel'
  location: 'global'
  properties: {
    channelName: 'FacebookChannel'
    properties: {
      appId: facebookAppId
      appSecret: facebookAppSecret
      pages: [
        {
          id: facebookPageId
          accessToken: facebookPageAccessToken
        }
      ]
      isEnabled: true
    }
  }
}

output name string = bot.name
output messagingEndpoint string = bot.properties.endpoint
