// Azure SignalR Service (Default mode) so staff-console updates reach browsers connected to any
// instance. Access keys are disabled; the web app's managed identity gets SignalR App Server.

@description('Name of the SignalR Service.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Tier: Free_F1 (20 connections, no SLA) or Standard_S1.')
@allowed([
  'Free_F1'
  'Standard_S1'
])
param skuName string

@description('Units (Standard_S1 only; 1 unit = 1,000 concurrent connections).')
@minValue(1)
@maxValue(100)
param capacity int

@description('Name of the web app\'s user-assigned managed identity (seeds role-assignment names, known before deployment).')
param appIdentityName string

@description('Principal id of the web app\'s managed identity (gets SignalR App Server).')
param appPrincipalId string

var signalRAppServerRoleId = '420fcaa2-552c-430f-98ca-3264be4806c7'

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: skuName
    tier: skuName == 'Free_F1' ? 'Free' : 'Standard'
    capacity: skuName == 'Free_F1' ? 1 : capacity
  }
  properties: {
    features: [
      {
        flag: 'ServiceMode'
        value: 'Default'
      }
    ]
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    tls: {
      clientCertEnabled: false
    }
  }
}

resource appServer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signalR.id, appIdentityName, signalRAppServerRoleId)
  scope: signalR
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', signalRAppServerRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = signalR.name
output hostName string = signalR.properties.hostName
