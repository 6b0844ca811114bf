#!/usr/bin/env node
// Starts @vercel/cosmosdb-server for ClinicBot's Cosmos tests, on loopback only.
//
//   node launch.js [--port N] [--endpoint-file PATH]
//
// Port 0 (the default) lets the OS pick a free port. Once the server listens, its endpoint
// (https://127.0.0.1:PORT/) is written to --endpoint-file (atomically: written to a temporary file and renamed),
// and printed on stdout.
//
// Two changes to the package, both made here, before it loads its routes, without editing node_modules:
//  1. Reading a missing document: the package's read handler (lib/handler/read-document.js) reads the document and
//     then indexes into it for the partition-key check, so a missing id throws a TypeError and the server answers
//     500. Real Cosmos DB answers 404 NotFound, which the SDK and our stores rely on. We wrap the handler so a
//     missing document in an existing collection answers 404 like Cosmos DB does.
//  2. HTTP keep-alive: the package closes every connection unless keepAlive is passed; the .NET SDK then reconnects
//     (a TLS handshake) per request, which is slow and exhausts ephemeral ports under concurrency tests.
"use strict";

const fs = require("fs");
const path = require("path");

const args = process.argv.slice(2);
let port = 0;
let endpointFile;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--port") port = parseInt(args[++i], 10);
  else if (args[i] === "--endpoint-file") endpointFile = args[++i];
  else {
    console.error(`Unknown argument: ${args[i]}`);
    process.exit(2);
  }
}

const lib = path.join(__dirname, "node_modules", "@vercel", "cosmosdb-server", "lib");

// 1. Patch the read-document handler before routes.js captures it.
const readDocument = require(path.join(lib, "handler", "read-document.js"));
const partitionHeader = require(path.join(lib, "utils", "get-partition-from-header.js"));
const originalRead = readDocument.default;
if (typeof originalRead !== "function") {
  throw new Error("@vercel/cosmosdb-server changed: lib/handler/read-document.js has no default export to patch");
}
readDocument.default = (account, req, res, params) => {
  const collection = account.database(params.dbId).collection(params.collId);
  if (collection.read()) {
    const header = partitionHeader.default(req);
    const partitionKey = header ? partitionHeader.parsePartitionKey(header, params.docId) : params.docId;
    if (!collection.document(params.docId, partitionKey).read()) {
      res.statusCode = 404;
      return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
    }
  }
  return originalRead(account, req, res, params);
};

const { createHttpsServer } = require(lib);

// 2. Keep-alive (the package's own option).
const server = createHttpsServer({ keepAlive: true });
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(port, "127.0.0.1", () => {
  const endpoint = `https://127.0.0.1:${server.address().port}/`;
  if (endpointFile) {
    const temporary = `${endpointFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, endpoint + "\n");
    fs.renameSync(temporary, endpointFile);
  }
  console.log(`cosmosdb-server listening at ${endpoint}`);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
