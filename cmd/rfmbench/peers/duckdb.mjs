// The newest DuckDB (Node "Neo" client) running the same SQL script as the duckdb-sql side.
// Usage: node duckdb.mjs SQL_FILE
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const sql = readFileSync(process.argv[2], 'utf8');
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
await conn.run(sql);
