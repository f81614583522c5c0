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
