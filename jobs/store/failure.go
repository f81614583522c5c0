package store

import (
	"encoding/json"
	"fmt"
)

// Failure is the record a backfill or schedule leaves for a date whose run failed, so the next
// plan can tell failed dates from ones never run. A successful run of the date removes it.
type Failure struct {
	AsOf     string `json:"as_of"`
	Kind     string `json:"kind"` // the error's kind (jobs.Classify)
	Error    string `json:"error"`
	At       string `json:"at"` // RFC 3339, UTC
	Attempts int    `json:"attempts"`
}

func failurePath(outDir, date string) string {
	return join(outDir, failuresDir, "as_of="+date+".json")
}

// RecordFailure writes the failure record of a date, replacing an earlier one, atomically.
func RecordFailure(outDir string, f Failure) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return WriteFile(outDir, failurePath(outDir, f.AsOf), append(data, '\n'))
}

// ReadFailure returns the failure record of a date, or an error if there is none.
func ReadFailure(outDir, date string) (*Failure, error) {
	path := failurePath(outDir, date)
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	var f Failure
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, nil
}

// ClearFailure removes the failure record of a date, if any.
func ClearFailure(outDir, date string) { remove(failurePath(outDir, date)) }
