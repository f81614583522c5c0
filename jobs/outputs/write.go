package outputs

import (
	"errors"
	"fmt"
	"sync"

	pq "github.com/rfmjob/rfm/jobs/parquetio"
	"github.com/rfmjob/rfm/jobs/store"
)

// Write writes tables into the staging area, concurrently: each file's serial parts (committing
// row groups into the file, syncing it) overlap with encoding the others.
func Write(st *store.Staging, tables []Table) error {
	paths := make([]string, len(tables))
	for k, tb := range tables {
		path, err := st.Create(tb.Name, store.DataFile, int64(tb.Rows))
		if err != nil {
			return err
		}
		paths[k] = path
	}
	errs := make([]error, len(tables))
	var wg sync.WaitGroup
	for k, tb := range tables {
		wg.Go(func() {
			if err := pq.WriteFile(paths[k], tb.Name, tb.Rows, tb.Cols); err != nil {
				errs[k] = fmt.Errorf("%s: %w", tb.Name, err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Publish writes one table of a date outside a full run (the holdout table of `rfm evaluate`),
// under the date's lock, through the staging area; it leaves the date's manifest alone. It
// returns the table's path relative to the output directory.
func Publish(outDir, date string, tb Table) (string, error) {
	lock, err := store.AcquireLock(outDir, date)
	if err != nil {
		return "", err
	}
	defer lock.Release()
	st, err := store.NewStaging(outDir, date)
	if err != nil {
		return "", err
	}
	defer st.Discard()
	if err := Write(st, []Table{tb}); err != nil {
		return "", err
	}
	if err := st.PublishOne(tb.Name); err != nil {
		return "", err
	}
	return tb.Name + "/as_of=" + date + "/" + store.DataFile, nil
}
