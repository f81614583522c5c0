// Package engines is the one place that picks an engine by name: it links every engine (the
// DuckDB engine through cgo), so only the commands and the tests that compare engines import it,
// and package jobs links none but the native one.
package engines

import (
	"fmt"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/duckdb"
	"github.com/rfmjob/rfm/jobs/engine/native"
	"github.com/rfmjob/rfm/jobs/engine/trino"
)

// For returns the engine a normalized configuration names; an unknown name is ErrConfig.
func For(cfg *config.Config) (engine.Engine, error) {
	switch cfg.Engine {
	case "native", "":
		return native.New(), nil
	case "duckdb":
		return duckdb.New(), nil
	case "trino":
		opts, err := TrinoOptions(cfg.Trino)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", jobs.ErrConfig, err)
		}
		return trino.New(opts), nil
	}
	return nil, fmt.Errorf("%w: engine is %q, want native, duckdb or trino", jobs.ErrConfig, cfg.Engine)
}

// TrinoOptions turns the trino section into the engine's options.
func TrinoOptions(c config.TrinoConfig) (trino.Options, error) {
	o := trino.Options{
		Server: c.Server, User: c.User, Password: c.Password,
		Results: c.Results, ResultsLocation: c.ResultsLocation, ResultsLocalDir: c.ResultsLocalDir,
	}
	o.Catalog, o.Schema, o.Table = c.Names()
	d, err := c.Timeout()
	o.RetryTimeout = d
	return o, err
}
