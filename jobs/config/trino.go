package config

import (
	"fmt"
	"strings"
	"time"
)

// TrinoConfig points the trino engine (engine: trino) at a server and the table holding the
// transactions. With it, input.transactions is not read: the columns of input.columns name
// columns of the table. Every field may come from the environment (RFM_TRINO_SERVER,
// RFM_TRINO_PASSWORD, …), which keeps a password out of the file.
type TrinoConfig struct {
	// Server is the coordinator URL, http://host:8080 or https://host:8443. Required.
	Server string `yaml:"server"`
	// User is the Trino user; default "rfm". Password is sent by basic authentication (https
	// only); default none.
	User     string `yaml:"user"`
	Password string `yaml:"password"`
	// Catalog, Schema and Table name the transactions; Schema defaults to "default". Table
	// may be given as catalog.schema.table, which then overrides the other two.
	Catalog string `yaml:"catalog"`
	Schema  string `yaml:"schema"`
	Table   string `yaml:"table"`
	// Results is how features come back: stream (default; rows over HTTP, fine for a few
	// million customers) or parquet (CREATE TABLE … AS Parquet files under ResultsLocation,
	// read back from ResultsLocalDir, the same directory as this machine mounts it).
	Results         string `yaml:"results"`
	ResultsLocation string `yaml:"results_location"`
	ResultsLocalDir string `yaml:"results_local_dir"`
	// RetryTimeout is how long a request is retried before the server counts as unreachable;
	// default "30s".
	RetryTimeout string `yaml:"retry_timeout"`
}

// Names returns the catalog, schema and table, from Table when it is catalog.schema.table.
func (c TrinoConfig) Names() (catalog, schema, table string) {
	if parts := strings.Split(c.Table, "."); len(parts) == 3 {
		return parts[0], parts[1], parts[2]
	}
	return c.Catalog, c.Schema, c.Table
}

// Timeout is RetryTimeout as a duration, 0 for the engine's default.
func (c TrinoConfig) Timeout() (time.Duration, error) {
	if c.RetryTimeout == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(c.RetryTimeout)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("trino.retry_timeout %q: want a duration such as 30s", c.RetryTimeout)
	}
	return d, nil
}
