package engines

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine/trino"
)

func TestTrinoConfig(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      config.TrinoConfig
		want     trino.Options
		problems int
	}{
		{"separate names", config.TrinoConfig{Server: "http://h:8080", Catalog: "hive", Schema: "sales", Table: "tx"},
			trino.Options{Server: "http://h:8080", Catalog: "hive", Schema: "sales", Table: "tx"}, 0},
		{"dotted table name", config.TrinoConfig{Server: "http://h:8080", Table: "lake.sales.tx", RetryTimeout: "5s"},
			trino.Options{Server: "http://h:8080", Catalog: "lake", Schema: "sales", Table: "tx", RetryTimeout: 5 * time.Second}, 0},
		{"nothing set", config.TrinoConfig{}, trino.Options{}, 2},
		{"parquet without locations", config.TrinoConfig{Server: "http://h", Catalog: "c", Table: "t", Results: "parquet"},
			trino.Options{Server: "http://h", Catalog: "c", Table: "t", Results: "parquet"}, 1},
		{"bad results and timeout", config.TrinoConfig{Server: "http://h", Catalog: "c", Table: "t", Results: "csv", RetryTimeout: "soon"},
			trino.Options{Server: "http://h", Catalog: "c", Table: "t", Results: "csv"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := TrinoOptions(tc.cfg)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("TrinoOptions() = %+v, want %+v", got, tc.want)
			}
			cfg := config.Config{Engine: "trino", Trino: tc.cfg}
			cfg.Normalize()
			var problems []string
			var ce *config.ConfigError
			if err := cfg.Validate(); errors.As(err, &ce) {
				for _, p := range ce.Problems {
					if strings.HasPrefix(p.Field, "trino.") {
						problems = append(problems, p.Error())
					}
				}
			}
			if len(problems) != tc.problems {
				t.Errorf("trino problems %q, want %d", problems, tc.problems)
			}
		})
	}
}
