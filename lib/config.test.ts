import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, readConfig, readStartSettings } from "./config";

describe("readConfig", () => {
  it("has local defaults", () => {
    assert.deepEqual(readConfig({}), {
      endpoint: undefined,
      region: "us-east-1",
      table: "Bikes",
      tableFrom: "default",
      defaultPageSize: 200,
      firstPageSize: 25,
      firstPageWaitMs: 50,
      budget: { bytes: 6_000_000, ms: 20_000, scanRequests: 100 },
      edgeCache: { sMaxAgeS: 10, staleWhileRevalidateS: 50, staleIfErrorS: 300 },
    });
  });

  it("reads every variable", () => {
    const config = readConfig({
      DYNAMODB_ENDPOINT: "http://127.0.0.1:8000",
      AWS_REGION: "eu-west-1",
      BIKES_TABLE: "Bikes-dev",
      BIKES_PAGE_SIZE: "50",
      BIKES_FIRST_PAGE_SIZE: "10",
      BIKES_FIRST_PAGE_WAIT_MS: "0",
      BIKES_BUDGET_BYTES: "60000000",
      BIKES_BUDGET_MS: "55000",
      BIKES_BUDGET_SCAN_REQUESTS: "600",
      BIKES_CACHE_S_MAXAGE: "2",
      BIKES_CACHE_STALE_WHILE_REVALIDATE: "3",
      BIKES_CACHE_STALE_IF_ERROR: "0",
    });
    assert.deepEqual(config, {
      endpoint: "http://127.0.0.1:8000",
      region: "eu-west-1",
      table: "Bikes-dev",
      tableFrom: "BIKES_TABLE",
      defaultPageSize: 50,
      firstPageSize: 10,
      firstPageWaitMs: 0,
      budget: { bytes: 60_000_000, ms: 55_000, scanRequests: 600 },
      edgeCache: { sMaxAgeS: 2, staleWhileRevalidateS: 3, staleIfErrorS: 0 },
    });
  });

  it("keeps the default first page within a smaller BIKES_PAGE_SIZE", () => {
    assert.equal(readConfig({ BIKES_PAGE_SIZE: "10" }).firstPageSize, 10);
  });

  it("takes the table from the SST link on a deployed stage", () => {
    // What `sst deploy` and `sst shell` put in the environment of a linked function.
    const config = readConfig({
      SST_RESOURCE_App: '{"name":"firstbyte","stage":"dev"}',
      SST_RESOURCE_Bikes: '{"name":"firstbyte-dev-BikesTable-abc"}',
    });
    assert.equal(config.table, "firstbyte-dev-BikesTable-abc");
    assert.equal(config.tableFrom, "sst-link");
  });

  it("names the variable that is wrong", () => {
    assert.throws(
      () => readConfig({ DYNAMODB_ENDPOINT: "localhost:8000" }),
      (e: Error) => e instanceof ConfigError && /DYNAMODB_ENDPOINT/.test(e.message),
    );
    assert.throws(() => readConfig({ DYNAMODB_ENDPOINT: "not a url" }), /DYNAMODB_ENDPOINT/);
    assert.throws(() => readConfig({ AWS_REGION: "moon" }), /AWS_REGION/);
    assert.throws(() => readConfig({ BIKES_TABLE: "x" }), /BIKES_TABLE/);
    assert.throws(() => readConfig({ BIKES_PAGE_SIZE: "0" }), /BIKES_PAGE_SIZE/);
    assert.throws(() => readConfig({ BIKES_FIRST_PAGE_SIZE: "0" }), /BIKES_FIRST_PAGE_SIZE/);
    assert.throws(() => readConfig({ BIKES_BUDGET_BYTES: "6MB" }), /BIKES_BUDGET_BYTES must be a whole number/);
    assert.throws(() => readConfig({ BIKES_BUDGET_MS: "0" }), /BIKES_BUDGET_MS/);
    assert.throws(() => readConfig({ BIKES_BUDGET_SCAN_REQUESTS: "-5" }), /BIKES_BUDGET_SCAN_REQUESTS/);
    assert.throws(() => readConfig({ BIKES_CACHE_S_MAXAGE: "10s" }), /BIKES_CACHE_S_MAXAGE must be a whole number/);
    assert.throws(
      () => readConfig({ BIKES_CACHE_STALE_WHILE_REVALIDATE: "86401" }),
      /BIKES_CACHE_STALE_WHILE_REVALIDATE/,
    );
    assert.throws(() => readConfig({ BIKES_CACHE_STALE_IF_ERROR: "-1" }), /BIKES_CACHE_STALE_IF_ERROR/);
    assert.throws(
      () => readConfig({ BIKES_PAGE_SIZE: "100", BIKES_FIRST_PAGE_SIZE: "101" }),
      /BIKES_FIRST_PAGE_SIZE must not exceed BIKES_PAGE_SIZE/,
    );
  });
});

describe("readStartSettings", () => {
  it("defaults to port 3000 and 2,000 bikes", () => {
    assert.deepEqual(readStartSettings({}), { port: 3000, seedCount: 2000 });
  });
  it("rejects a bad PORT", () => {
    assert.throws(() => readStartSettings({ PORT: "http" }), /PORT/);
    assert.throws(() => readStartSettings({ PORT: "70000" }), /PORT/);
  });
});
