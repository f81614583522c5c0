package jobs

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rfmjob/rfm/analytics/quality"
	"github.com/rfmjob/rfm/jobs/config"
	"github.com/rfmjob/rfm/jobs/engine"
)

// checkQuality accounts for every row and fails the run when the rejected share exceeds the
// configured maximum, naming the reasons and the first rejected rows so the data can be fixed
// from the message alone.
func checkQuality(cfg *config.Config, res *engine.Result) error {
	c := res.Counts
	if got := c.Used + c.AfterAsOf + c.BeforeWindow + c.RejectedTotal(); got != c.Read {
		return fmt.Errorf("internal error: %d rows read but %d accounted for", c.Read, got)
	}
	err := quality.Check("", c.Read, c.Rejected, *cfg.Quality.MaxRejectedShare)
	if err == nil {
		return nil
	}
	examples := make([]string, 0, 5)
	for _, rj := range res.Rejected[:min(5, len(res.Rejected))] {
		examples = append(examples, fmt.Sprintf("%s row %d: %s (customer_id=%q timestamp=%q amount=%q)",
			filepath.Base(rj.File), rj.Row, rj.Reason, rj.CustomerID, rj.Timestamp, rj.Amount))
	}
	return rejectedError(err, examples, len(res.Rejected)-len(examples))
}

// rejectedError is a failed quality check with the first rejected rows on lines of their own,
// and how many more there are.
func rejectedError(err error, examples []string, more int) error {
	var b strings.Builder
	for _, ex := range examples {
		b.WriteString("\n  " + ex)
	}
	if more > 0 {
		fmt.Fprintf(&b, "\n  … and %d more", more)
	}
	return fmt.Errorf("%w: %w%s", ErrInput, err, b.String())
}
