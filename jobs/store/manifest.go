package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rfmjob/rfm/jobs/objstore"
	"github.com/zeebo/xxh3"
)

// Manifest records what one run of one as-of date read, did and wrote. It is written last, so
// its presence (with every output it lists intact) marks the date complete.
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
	// ETag is an object's entity tag (an s3:// input, which is not read whole to be hashed:
	// XXH3 is empty).
	ETag string `json:"etag,omitempty"`
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

// Output is one published file of the date: a table's data.parquet or the report page.
type Output struct {
	Table string `json:"table"`
	Path  string `json:"path"` // relative to the output directory, forward slashes
	Rows  int64  `json:"rows"`
	Bytes int64  `json:"bytes"`
	XXH3  string `json:"xxh3"`
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

// Output returns the output of table, or false when the manifest lists none.
func (m *Manifest) Output(table string) (Output, bool) {
	for _, o := range m.Outputs {
		if o.Table == table {
			return o, true
		}
	}
	return Output{}, false
}

// ReadManifest returns the committed manifest of a date. A date without one returns an error
// wrapping fs.ErrNotExist.
func ReadManifest(outDir, date string) (*Manifest, error) {
	path := ManifestPath(outDir, date)
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// Complete returns the manifest of a complete date: committed, and every output it lists present
// with its size and hash. Otherwise the error wraps ErrIncomplete and says what is missing or
// changed.
func Complete(outDir, date string) (*Manifest, error) {
	m, err := ReadManifest(outDir, date)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no manifest for %s", ErrIncomplete, outDir, date)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIncomplete, err)
	}
	if err := Verify(outDir, m); err != nil {
		return nil, err
	}
	return m, nil
}

// Verify checks that every output the manifest lists exists with its size and hash. Outputs of
// manifests written before sizes were recorded are checked for presence only.
func Verify(outDir string, m *Manifest) error {
	if isObject(outDir) {
		return verifyObjects(outDir, m)
	}
	var bad []string
	for _, o := range m.Outputs {
		path := filepath.Join(outDir, filepath.FromSlash(o.Path))
		n, sum, err := hashFile(path)
		switch {
		case err != nil:
			bad = append(bad, fmt.Sprintf("%s: %v", o.Path, err))
		case o.XXH3 == "":
		case n != o.Bytes:
			bad = append(bad, fmt.Sprintf("%s: %d bytes, the manifest says %d", o.Path, n, o.Bytes))
		case sum != o.XXH3:
			bad = append(bad, fmt.Sprintf("%s: content hash %s, the manifest says %s", o.Path, sum, o.XXH3))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s: %s", ErrIncomplete, m.AsOf, strings.Join(bad, "; "))
	}
	return nil
}

// DescribeInputs records each input for the manifest: a local file's size and hash, an
// object's size and ETag as the input's listing gave them (objstore.Describe; an object is not
// read whole to be hashed).
func DescribeInputs(files []string) ([]InputFile, error) {
	out := make([]InputFile, 0, len(files))
	for _, p := range files {
		if objstore.IsURL(p) {
			info, err := objstore.Describe(context.Background(), p)
			if err != nil {
				return nil, err
			}
			out = append(out, InputFile{Path: p, Bytes: info.Size, ETag: info.ETag})
			continue
		}
		n, sum, err := hashFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, InputFile{Path: p, Bytes: n, XXH3: sum})
	}
	return out, nil
}

// HashFile returns a file's size and XXH3-64 hash as 16 hex digits, the form manifests record
// for inputs and outputs.
func HashFile(path string) (int64, string, error) { return hashFile(path) }

func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := xxh3.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w", path, err)
	}
	return n, fmt.Sprintf("%016x", h.Sum64()), nil
}

// NewestComplete is the newest complete date (Complete), "" for none. It verifies from the
// newest manifest back, so it costs one verification when the newest date is intact.
func NewestComplete(outDir string) string {
	dates := CommittedDates(outDir)
	for i := len(dates) - 1; i >= 0; i-- {
		if _, err := Complete(outDir, dates[i]); err == nil {
			return dates[i]
		}
	}
	return ""
}

// CommittedDates lists the dates with a manifest, ascending. It does not verify the outputs;
// Complete does.
func CommittedDates(outDir string) []string {
	if isObject(outDir) {
		return committedObjects(outDir)
	}
	entries, _ := os.ReadDir(filepath.Join(outDir, manifestDir))
	var dates []string
	for _, e := range entries {
		if d, ok := strings.CutPrefix(e.Name(), "as_of="); ok {
			if _, err := os.Stat(ManifestPath(outDir, d)); err == nil {
				dates = append(dates, d)
			}
		}
	}
	sort.Strings(dates)
	return dates
}
