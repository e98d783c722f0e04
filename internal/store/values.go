package store

import (
	"strconv"
	"strings"
)

// Values is the VALUES list of a multi-row INSERT of rows × cols parameters in the engine's
// placeholders: "(?, ?), (?, ?)" on SQLite, "($1, $2), ($3, $4)" on PostgreSQL.
func Values(engine string, rows, cols int) string {
	var sb strings.Builder
	p := 0
	for r := range rows {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := range cols {
			if c > 0 {
				sb.WriteString(", ")
			}
			p++
			if engine == EnginePostgres {
				sb.WriteString("$" + strconv.Itoa(p))
			} else {
				sb.WriteByte('?')
			}
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// InsertText is "INSERT INTO table (cols) VALUES …" for rows rows, in the engine's placeholders.
func InsertText(engine, table string, cols []string, rows int) string {
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + Values(engine, rows, len(cols))
}
