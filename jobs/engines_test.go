package jobs

import (
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/duckdb"
	"github.com/rfmjob/rfm/jobs/engine/native"
)

// The tests compare the native engine with the DuckDB reference on every fixture, so this test
// binary links DuckDB; package jobs itself does not.
func init() { linkedEngines["duckdb"] = func() engine.Engine { return duckdb.New() } }

// engineByName is the engine of that name, for tests that call engines directly.
func engineByName(name string) engine.Engine {
	if name == "duckdb" {
		return duckdb.New()
	}
	return native.New()
}
