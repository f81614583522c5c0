package series

import (
	"fmt"
	"testing"

	"github.com/rfmjob/rfm/jobs"
	"github.com/rfmjob/rfm/jobs/cadence"
	"github.com/rfmjob/rfm/jobs/gen"
	"github.com/rfmjob/rfm/jobs/internal/jobstest"
)

var smallDemo = jobstest.SmallDemo

func generatedInput(t testing.TB, opt gen.Options) string { return jobstest.GeneratedInput(t, opt) }

func decodedDate(t testing.TB, out, date string) string { return jobstest.DecodedDate(t, out, date) }

func digest(s string) string { return jobstest.Digest(s) }

// seriesOf is the cadence's series between two YYYY-MM-DD dates, errors wrapping ErrConfig as
// Dates gives them.
func seriesOf(c *cadence.Cadence, from, to string) ([]ScheduledDate, error) {
	f, err := jobs.ParseDay(from)
	if err != nil {
		return nil, err
	}
	t, err := jobs.ParseDay(to)
	if err != nil {
		return nil, err
	}
	d, err := c.Series(f, t)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", jobs.ErrConfig, err)
	}
	return d, nil
}
