// Azure Cosmos DB for NoSQL: database `clinicbot` and its containers, key auth disabled, and the
// Cosmos DB Built-in Data Contributor data-plane role for the web app's managed identity.

@description('Name of the Cosmos DB account.')
param accountName string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Serverless (pay per request) or Autoscale (provisioned, shared database throughput).')
@allowed([
  'Serverless'
  'Autoscale'
])
param capacityMode string

@description('Autoscale maximum RU/s for the database (Autoscale only; 1000 or more).')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Name of the SQL database.')
param databaseName string

@description('Seconds transcripts are kept before Cosmos deletes them.')
@minValue(1)
param transcriptTtlSeconds int

@description('Seconds Messenger inbox/dedupe records are kept.')
@minValue(1)
param messengerTtlSeconds int

@description('Name of the web app\'s user-assigned managed identity (seeds role-assignment names, known before deployment).')
param appIdentityName string

@description('Principal id of the web app\'s managed identity.')
param appPrincipalId string

// -1: TTL is on but items never expire unless they carry their own `ttl`.
var containers = [
  { name: 'botstate', partitionKey: '/partitionKey', defaultTtl: -1 }
  { name: 'followups', partitionKey: '/partitionKey', defaultTtl: -1 }
  { name: 'handoffs', partitionKey: '/partitionKey', defaultTtl: -1 }
  { name: 'cases', partitionKey: '/partitionKey', defaultTtl: -1 }
  { name: 'transcripts', partitionKey: '/partitionKey', defaultTtl: transcriptTtlSeconds }
  { name: 'messenger', partitionKey: '/partitionKey', defaultTtl: messengerTtlSeconds }
]

var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: capacityMode == 'Serverless' ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: capacityMode == 'Autoscale'
      ? {
          autoscaleSettings: {
            maxThroughput: autoscaleMaxThroughput
          }
        }
      : {}
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = [
  for container in containers: {
    parent: database
    name: container.name
    properties: {
      resource: {
        id: container.name
        partitionKey: {
          paths: [
            container.partitionKey
          ]
          kind: 'Hash'
          version: 2
        }
        defaultTtl: container.defaultTtl
        indexingPolicy: {
          indexingMode: 'consistent'
          automatic: true
          includedPaths: [
            {
              path: '/*'
            }
          ]
          excludedPaths: [
            {
              path: '/"_etag"/?'
            }
          ]
        }
      }
    }
  }
]

resource appDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-04-15' = {
  parent: account
  name: guid(account.id, appIdentityName, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: appPrincipalId
    scope: account.id
  }
}

output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output containerNames array = [for (container, i) in containers: sqlContainers[i].name]
