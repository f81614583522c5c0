package jobs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/zeebo/xxh3"
)

// Manifest records what one run of one as-of date read, did and wrote. It is written last, so
// its presence marks the date's outputs as complete.
type Manifest struct {
	Version    string      `json:"version"`
	AsOf       string      `json:"as_of"`
	Engine     string      `json:"engine"`
	ConfigHash string      `json:"config_sha256"`
	Window     Window      `json:"window"`
	Inputs     []InputFile `json:"inputs"`
	Rows       RowCounts   `json:"rows"`
	Customers  int64       `json:"customers"`
	Outputs    []Output    `json:"outputs"`
	Highlights Highlights  `json:"highlights"`
	Stages     []Stage     `json:"stages"`
	StartedAt  string      `json:"started_at"`
	FinishedAt string      `json:"finished_at"`
	Warnings   []string    `json:"warnings,omitempty"`
}

// Window is the span of days a run used.
type Window struct {
	Start    string `json:"start,omitempty"` // empty: all history
	AsOf     string `json:"as_of"`
	Timezone string `json:"timezone"`
}

// InputFile identifies one input file by size and content hash (XXH3-64).
type InputFile struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
	XXH3  string `json:"xxh3"`
}

// RowCounts accounts for every row read: Read = Used + AfterAsOf + BeforeWindow + Rejected.
type RowCounts struct {
	Read             int64            `json:"read"`
	Used             int64            `json:"used"`
	Rejected         int64            `json:"rejected"`
	RejectedByReason map[string]int64 `json:"rejected_by_reason"`
	AfterAsOf        int64            `json:"after_as_of"`
	BeforeWindow     int64            `json:"before_window"`
}

// Output is one published table of the date.
type Output struct {
	Table string `json:"table"`
	Path  string `json:"path"` // relative to the output directory
	Rows  int64  `json:"rows"`
}

// Highlights are the headline figures of a run, for logs, monitoring and the demo.
type Highlights struct {
	Top20PctShare float64        `json:"top_20pct_value_share"`
	Gini          float64        `json:"gini"`
	Segments      []SegmentCount `json:"segments"`
}

// SegmentCount is the size of one segment.
type SegmentCount struct {
	Segment   string `json:"segment"`
	Customers int64  `json:"customers"`
}

// Stage is the wall time of one stage of the run.
type Stage struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// Version is the build's version: set with -ldflags "-X github.com/rfmjob/rfm/jobs.version=…",
// else the module version, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

var version string

// Hash returns the SHA-256 of the normalized configuration, so two runs can be told to have used
// the same settings.
func (c *Config) Hash() string {
	data, _ := json.Marshal(c)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func describeInputs(files []string) ([]InputFile, error) {
	out := make([]InputFile, 0, len(files))
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		h := xxh3.New()
		n, err := io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, InputFile{Path: p, Bytes: n, XXH3: fmt.Sprintf("%016x", h.Sum64())})
	}
	return out, nil
}
