package pgstore

//go:generate go run ./internal/adaptergen
