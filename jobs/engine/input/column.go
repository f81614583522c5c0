package input

import (
	"fmt"

	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// Kind is the logical type of a column as the engines read it.
type Kind int

// Kinds a column can have. KindOther covers every type no role accepts (lists, maps, times of
// day, UUIDs, FLOAT16, 64-bit unsigned integers, ...); TypeString still names it.
const (
	KindOther Kind = iota
	KindBool
	KindInt32
	KindInt64
	KindFloat32
	KindFloat64
	KindDecimal
	KindString
	KindDate
	KindTimestamp
)

// Column is one mapped column of one file.
type Column struct {
	Role string // "customer_id", "order_id", "timestamp", "amount", "quantity", "unit_price", "cost"
	Name string // the column's name in the file (which may differ in case from the configured name)
	Leaf int    // leaf column index in the file schema: the index of its chunk in every row group
	Kind Kind

	Physical format.Type // the Parquet physical type (INT32, INT64, INT96, BYTE_ARRAY, ...)
	Unsigned bool        // an INT32 annotated UINT_8/16/32: read as uint32

	Scale, Precision int    // decimals
	Unit             string // timestamps: "ms", "us", "ns"; INT96 counts as "ns"
	UTC              bool   // timestamp isAdjustedToUTC
	Optional         bool   // the column may hold nulls

	logical string // KindOther: what the file says the type is
}

// TypeString names the column's type the way users read it: "DOUBLE", "DECIMAL(18,2)",
// "TIMESTAMP(us, UTC)", "STRING", ...
func (c Column) TypeString() string {
	switch c.Kind {
	case KindBool:
		return "BOOLEAN"
	case KindInt32:
		if c.Unsigned {
			return "UINT32"
		}
		return "INT32"
	case KindInt64:
		return "INT64"
	case KindFloat32:
		return "FLOAT"
	case KindFloat64:
		return "DOUBLE"
	case KindDecimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", c.Precision, c.Scale)
	case KindString:
		return "STRING"
	case KindDate:
		return "DATE"
	case KindTimestamp:
		if c.Physical == format.Int96 {
			return "INT96 TIMESTAMP"
		}
		if c.UTC {
			return fmt.Sprintf("TIMESTAMP(%s, UTC)", c.Unit)
		}
		return fmt.Sprintf("TIMESTAMP(%s)", c.Unit)
	}
	if c.logical != "" {
		return c.logical
	}
	return c.Physical.String()
}

// classify sets c's Kind and type details from a leaf schema element.
func classify(c *Column, el *format.SchemaElement) {
	phys, _ := el.Type.Get()
	c.Physical = phys
	if rep, ok := el.RepetitionType.Get(); ok {
		switch rep {
		case format.Optional:
			c.Optional = true
		case format.Repeated:
			c.Kind, c.logical = KindOther, "repeated "+phys.String()
			return
		}
	}
	conv, hasConv := el.ConvertedType.Get()
	switch lt := el.LogicalType.Value.(type) {
	case *format.DecimalType:
		c.Kind, c.Scale, c.Precision = KindDecimal, int(lt.Scale), int(lt.Precision)
	case *format.StringType, *format.EnumType:
		c.Kind = KindString
	case *format.DateType:
		c.Kind = KindDate
	case *format.TimestampType:
		c.Kind, c.UTC = KindTimestamp, lt.IsAdjustedToUTC
		switch lt.Unit.Value.(type) {
		case *format.MilliSeconds:
			c.Unit = "ms"
		case *format.MicroSeconds:
			c.Unit = "us"
		case *format.NanoSeconds:
			c.Unit = "ns"
		}
	case *format.IntType:
		switch {
		case lt.IsSigned:
			c.Kind = intKind(phys)
		case lt.BitWidth <= 32 && phys == format.Int32:
			c.Kind, c.Unsigned = KindInt32, true
		default:
			c.Kind, c.logical = KindOther, fmt.Sprintf("UINT%d", lt.BitWidth)
		}
	case nil:
		switch {
		case !hasConv && phys == format.Int96:
			c.Kind, c.Unit = KindTimestamp, "ns"
		case !hasConv:
			c.Kind = physicalKind(phys)
		case conv == deprecated.Decimal:
			s, _ := el.Scale.Get()
			p, _ := el.Precision.Get()
			c.Kind, c.Scale, c.Precision = KindDecimal, int(s), int(p)
		case conv == deprecated.UTF8 || conv == deprecated.Enum:
			c.Kind = KindString
		case conv == deprecated.Date:
			c.Kind = KindDate
		case conv == deprecated.TimestampMillis:
			c.Kind, c.Unit, c.UTC = KindTimestamp, "ms", true
		case conv == deprecated.TimestampMicros:
			c.Kind, c.Unit, c.UTC = KindTimestamp, "us", true
		case conv >= deprecated.Int8 && conv <= deprecated.Int64:
			c.Kind = intKind(phys)
		case conv >= deprecated.Uint8 && conv <= deprecated.Uint32 && phys == format.Int32:
			c.Kind, c.Unsigned = KindInt32, true
		default:
			c.Kind, c.logical = KindOther, fmt.Sprintf("%s with converted type %d", phys, conv)
		}
	default:
		c.Kind, c.logical = KindOther, lt.String()
	}
	if c.Kind == KindTimestamp && c.Unit == "" || c.Kind == KindDecimal && !decimalPhysical(phys) ||
		c.Kind == KindString && phys != format.ByteArray || c.Kind == KindDate && phys != format.Int32 ||
		c.Kind == KindTimestamp && phys != format.Int64 && phys != format.Int96 {
		c.Kind, c.logical = KindOther, fmt.Sprintf("%s annotated %s", phys, annotation(el))
	}
}

func intKind(phys format.Type) Kind {
	switch phys {
	case format.Int32:
		return KindInt32
	case format.Int64:
		return KindInt64
	}
	return KindOther
}

func physicalKind(phys format.Type) Kind {
	switch phys {
	case format.Boolean:
		return KindBool
	case format.Int32:
		return KindInt32
	case format.Int64:
		return KindInt64
	case format.Float:
		return KindFloat32
	case format.Double:
		return KindFloat64
	case format.ByteArray:
		return KindString
	}
	return KindOther
}

func decimalPhysical(phys format.Type) bool {
	switch phys {
	case format.Int32, format.Int64, format.FixedLenByteArray, format.ByteArray:
		return true
	}
	return false
}

func annotation(el *format.SchemaElement) string {
	if el.LogicalType.Value != nil {
		return el.LogicalType.String()
	}
	if conv, ok := el.ConvertedType.Get(); ok {
		return fmt.Sprintf("converted type %d", conv)
	}
	return "nothing"
}
