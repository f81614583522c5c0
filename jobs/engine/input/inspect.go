package input

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go/format"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/objstore"
)

// Roles, as used for Column.Role and the keys of File.Columns.
const (
	RoleCustomerID = "customer_id"
	RoleOrderID    = "order_id"
	RoleTimestamp  = "timestamp"
	RoleAmount     = "amount"
	RoleQuantity   = "quantity"
	RoleUnitPrice  = "unit_price"
	RoleCost       = "cost"
	RoleActivity   = "activity" // the activity table's activity name
)

// File is one inspected input file.
type File struct {
	Path      string
	Size      int64
	Rows      int64
	RowGroups int
	// Columns holds the mapped columns by role (RoleCustomerID, ...); roles not mapped are absent.
	Columns map[string]Column
	// Notes are remarks a user should see but that do not stop the job, such as a column found
	// only by ignoring case.
	Notes []string
}

// accepted lists the kinds each role accepts, and how the error message says it.
var accepted = map[string]struct {
	kinds []Kind
	want  string
}{
	RoleCustomerID: {[]Kind{KindInt32, KindInt64, KindFloat32, KindFloat64, KindString}, "an integer, FLOAT/DOUBLE or STRING"},
	RoleOrderID:    {[]Kind{KindInt32, KindInt64, KindFloat32, KindFloat64, KindString}, "an integer, FLOAT/DOUBLE or STRING"},
	RoleActivity:   {[]Kind{KindInt32, KindInt64, KindFloat32, KindFloat64, KindString}, "an integer, FLOAT/DOUBLE or STRING"},
	RoleTimestamp:  {[]Kind{KindTimestamp, KindDate, KindString}, "TIMESTAMP, DATE or STRING"},
	RoleAmount:     {moneyKinds, "an integer, FLOAT/DOUBLE or DECIMAL"},
	RoleQuantity:   {moneyKinds, "an integer, FLOAT/DOUBLE or DECIMAL"},
	RoleUnitPrice:  {moneyKinds, "an integer, FLOAT/DOUBLE or DECIMAL"},
	RoleCost:       {moneyKinds, "an integer, FLOAT/DOUBLE or DECIMAL"},
}

var moneyKinds = []Kind{KindInt32, KindInt64, KindFloat32, KindFloat64, KindDecimal}

// Mapping returns the roles the job reads and their configured column names, in a fixed order:
// customer id, order id, timestamp, then amount or quantity and unit price, then cost. It
// returns ErrRoles when customer id, timestamp or the amount are not mapped.
func Mapping(cols engine.Columns) ([][2]string, error) {
	var problems []error
	if cols.CustomerID == "" {
		problems = append(problems, fmt.Errorf("%w: no customer_id column", ErrRoles))
	}
	if cols.Timestamp == "" {
		problems = append(problems, fmt.Errorf("%w: no timestamp column", ErrRoles))
	}
	m := [][2]string{{RoleCustomerID, cols.CustomerID}, {RoleOrderID, cols.OrderID}, {RoleTimestamp, cols.Timestamp}}
	switch {
	case cols.Amount != "":
		m = append(m, [2]string{RoleAmount, cols.Amount})
	case cols.Quantity != "" && cols.UnitPrice != "":
		m = append(m, [2]string{RoleQuantity, cols.Quantity}, [2]string{RoleUnitPrice, cols.UnitPrice})
	default:
		problems = append(problems, fmt.Errorf("%w: map amount, or both quantity and unit_price", ErrRoles))
	}
	m = append(m, [2]string{RoleCost, cols.Cost})
	m = slices.DeleteFunc(m, func(rc [2]string) bool { return rc[1] == "" })
	return m, errors.Join(problems...)
}

// Inspect reads the footer of every file, finds the column mapped to each role and checks its
// type. It returns every problem at once (errors.Join): unreadable files (ErrNotParquet), missing
// columns (ErrMissingColumn), wrong types (ErrColumnType) and a role whose kind differs between
// files (ErrSchemaDrift), each naming the file and column.
func Inspect(files []string, cols engine.Columns) ([]File, error) {
	mapping, err := Mapping(cols)
	if err != nil {
		return nil, err
	}
	return InspectMapping(files, mapping)
}

// InspectMapping is Inspect for an explicit mapping of (role, column name) pairs, such as the
// activity table's (RoleActivity, RoleQuantity…): messages name each column by its role.
func InspectMapping(files []string, mapping [][2]string) ([]File, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: no input files given", ErrNoFiles)
	}
	// The footers are read concurrently (objects in a store cost a round trip each), then
	// checked in file order, so that problems are reported in the same order every run.
	inspected := make([]*File, len(files))
	fileProblems := make([][]error, len(files))
	eachFile(len(files), func(i int) { inspected[i], fileProblems[i] = inspectFile(files[i], mapping) })
	var problems []error
	out := make([]File, 0, len(files))
	first := map[string]int{} // role → index in out of the first file that has it
	for k, path := range files {
		f, errs := inspected[k], fileProblems[k]
		problems = append(problems, errs...)
		if f == nil {
			continue
		}
		for _, rc := range mapping {
			c, ok := f.Columns[rc[0]]
			if !ok {
				continue
			}
			i, seen := first[rc[0]]
			if !seen {
				first[rc[0]] = len(out)
				continue
			}
			if prev := out[i].Columns[rc[0]]; prev.Kind != c.Kind {
				problems = append(problems, fmt.Errorf("%w: column %q (role %s) is %s in %s but %s in %s",
					ErrSchemaDrift, c.Name, rc[0], prev.TypeString(), base(out[i].Path), c.TypeString(), base(path)))
			}
		}
		out = append(out, *f)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return out, nil
}

// inspectFile reads one footer. It returns nil and the problem when the file cannot be read,
// and otherwise the file with the columns that were found and the problems with the others.
func inspectFile(path string, mapping [][2]string) (*File, []error) {
	meta, size, err := readFooter(path)
	if err != nil {
		return nil, []error{err}
	}
	top, err := topLevel(meta.Schema)
	if err != nil {
		return nil, []error{fmt.Errorf("%w: %s: %v", ErrNotParquet, path, err)}
	}
	f := &File{Path: path, Size: size, Rows: meta.NumRows, RowGroups: len(meta.RowGroups), Columns: map[string]Column{}}
	var problems []error
	for _, rc := range mapping {
		role, name := rc[0], rc[1]
		field, note, err := find(top, name)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: column %q (role %s): %w", base(path), name, role, err))
			continue
		}
		if note != "" {
			f.Notes = append(f.Notes, fmt.Sprintf("%s: column %q (role %s) %s", base(path), name, role, note))
		}
		c := Column{Role: role, Name: field.name, Leaf: field.leaf}
		if field.group {
			c.logical = "a group (nested column)"
		} else {
			classify(&c, &meta.Schema[field.element])
		}
		if !slices.Contains(accepted[role].kinds, c.Kind) {
			problems = append(problems, fmt.Errorf("%w: %s: column %q (role %s) is %s, want %s",
				ErrColumnType, base(path), c.Name, role, c.TypeString(), accepted[role].want))
			continue
		}
		f.Columns[role] = c
	}
	return f, problems
}

// readFooter decodes the footer of path (openParquet).
func readFooter(path string) (meta *format.FileMetaData, size int64, err error) {
	pf, _, closeFile, err := openParquet(path)
	if err != nil {
		return nil, 0, err
	}
	defer closeFile()
	return pf.Metadata(), pf.Size(), nil
}

// checkFooterLength rejects a file whose footer length field points outside the file, before
// the Parquet reader allocates a buffer of that length.
func checkFooterLength(r io.ReaderAt, size int64) error {
	if size < 12 {
		return fmt.Errorf("%d bytes is too short for Parquet", size)
	}
	var tail [8]byte
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	if n := int64(binary.LittleEndian.Uint32(tail[:4])); n > size-12 {
		return fmt.Errorf("footer length %d exceeds the file size %d (truncated or corrupt)", n, size)
	}
	return nil
}

// field is a top-level field of a file schema.
type field struct {
	name    string
	element int  // index in the flattened schema
	leaf    int  // index of its first leaf column
	group   bool // a nested field
}

// topLevel lists the top-level fields of a flattened (depth-first) schema with the index of
// their first leaf column.
func topLevel(schema []format.SchemaElement) ([]field, error) {
	if len(schema) == 0 {
		return nil, errors.New("empty schema")
	}
	next, leaves := 1, 0
	// skip walks the subtree at schema[i] and returns the index after it.
	var skip func(i, depth int) (int, error)
	skip = func(i, depth int) (int, error) {
		if i >= len(schema) || depth > 100 {
			return 0, errors.New("malformed schema tree")
		}
		n, ok := schema[i].NumChildren.Get()
		if !ok || n == 0 && schema[i].Type.Valid {
			leaves++
			return i + 1, nil
		}
		j := i + 1
		for k := int32(0); k < n; k++ {
			var err error
			if j, err = skip(j, depth+1); err != nil {
				return 0, err
			}
		}
		return j, nil
	}
	n, _ := schema[0].NumChildren.Get()
	fields := make([]field, 0, n)
	for k := int32(0); k < n; k++ {
		if next >= len(schema) {
			return nil, errors.New("malformed schema tree")
		}
		f := field{name: schema[next].Name, element: next, leaf: leaves}
		end, err := skip(next, 1)
		if err != nil {
			return nil, err
		}
		f.group = end-next > 1 || !schema[next].Type.Valid
		fields = append(fields, f)
		next = end
	}
	return fields, nil
}

// find looks a column up by exact name, then ignoring case; note says when case was ignored.
func find(fields []field, name string) (f field, note string, err error) {
	for _, f := range fields {
		if f.name == name {
			return f, "", nil
		}
	}
	var matches []field
	for _, f := range fields {
		if strings.EqualFold(f.name, name) {
			matches = append(matches, f)
		}
	}
	switch len(matches) {
	case 0:
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = fmt.Sprintf("%q", f.name)
		}
		return field{}, "", fmt.Errorf("%w; the file has %s", ErrMissingColumn, strings.Join(names, ", "))
	case 1:
		return matches[0], fmt.Sprintf("matched %q ignoring case", matches[0].name), nil
	}
	return field{}, "", fmt.Errorf("%w: %q and %q both match ignoring case", ErrMissingColumn, matches[0].name, matches[1].name)
}

// base names a file in messages: a local file by its name, an object by its whole URL.
func base(path string) string {
	if objstore.IsURL(path) {
		return path
	}
	return filepath.Base(path)
}
