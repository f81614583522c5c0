package trino

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
)

var decimalType = regexp.MustCompile(`^decimal\((\d+),\s*(\d+)\)$`)

// kindOf maps a Trino type name (information_schema.columns.data_type) to the kind the SQL
// builders use.
func kindOf(typ string) input.Column {
	t := strings.ToLower(strings.TrimSpace(typ))
	c := input.Column{}
	switch {
	case t == "bigint":
		c.Kind = input.KindInt64
	case t == "integer" || t == "smallint" || t == "tinyint":
		c.Kind = input.KindInt32
	case t == "double":
		c.Kind = input.KindFloat64
	case t == "real":
		c.Kind = input.KindFloat32
	case t == "date":
		c.Kind = input.KindDate
	case t == "varchar" || strings.HasPrefix(t, "varchar(") || strings.HasPrefix(t, "char("):
		c.Kind = input.KindString
	case strings.HasPrefix(t, "timestamp"):
		c.Kind, c.UTC = input.KindTimestamp, strings.HasSuffix(t, "with time zone")
	case decimalType.MatchString(t):
		m := decimalType.FindStringSubmatch(t)
		c.Kind = input.KindDecimal
		c.Precision, _ = strconv.Atoi(m[1])
		c.Scale, _ = strconv.Atoi(m[2])
	default:
		c.Kind = input.KindOther
	}
	return c
}

// columns reads the table's columns from information_schema and finds the one mapped to each
// role, checking its type. It reports every problem at once. Trino folds unquoted and quoted
// names to lower case alike, so names match ignoring case.
func (e *Engine) columns(ctx context.Context, db *sql.DB, cols engine.Columns) (map[string]input.Column, error) {
	mapping, err := input.Mapping(cols)
	if err != nil {
		return nil, err
	}
	q := fmt.Sprintf("SELECT column_name, data_type FROM %s.information_schema.columns WHERE table_schema = ? AND table_name = ?",
		quoteIdent(e.opts.Catalog))
	rows, err := db.QueryContext(ctx, q, strings.ToLower(e.opts.Schema), strings.ToLower(e.opts.Table))
	if err != nil {
		return nil, e.classify("list columns", err)
	}
	defer rows.Close()
	types := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, e.classify("list columns", err)
		}
		types[strings.ToLower(name)] = typ
	}
	if err := rows.Err(); err != nil {
		return nil, e.classify("list columns", err)
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("%w: %s (server %s)", ErrMissingTable, e.tableName(), e.opts.Server)
	}
	out := map[string]input.Column{}
	var problems []error
	for _, rc := range mapping {
		role, name := rc[0], rc[1]
		typ, ok := types[strings.ToLower(name)]
		if !ok {
			problems = append(problems, fmt.Errorf("%w: %s has no column %q (role %s)", ErrMissingColumn, e.tableName(), name, role))
			continue
		}
		c := kindOf(typ)
		c.Role, c.Name = role, strings.ToLower(name)
		if !input.Accepts(role, c.Kind) {
			problems = append(problems, fmt.Errorf("%w: %s column %q (role %s) is %s", ErrColumnType, e.tableName(), name, role, typ))
			continue
		}
		out[role] = c
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return out, nil
}
