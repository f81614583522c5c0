package jobs

import (
	"testing"

	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/internal/jobstest"
)

var smallDemo = jobstest.SmallDemo

func generatedInput(t testing.TB, opt gen.Options) string { return jobstest.GeneratedInput(t, opt) }

func decodedDate(t testing.TB, out, date string) string { return jobstest.DecodedDate(t, out, date) }

func digest(s string) string { return jobstest.Digest(s) }

func demoConfig(t *testing.T, in, out string) *config.Config {
	cfg := &config.Config{}
	cfg.Input.Transactions = in
	cfg.Output.Dir = out
	return cfg
}
