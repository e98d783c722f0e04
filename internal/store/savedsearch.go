package store

import (
	"context"
	"time"
)

// SavedSearches keeps the order list's saved searches (issue 20 item 3, Next Engine's
// 「オリジナルステータス」): a name and a filter, the company's, seen by every user.
type SavedSearches interface {
	// CreateSavedSearch saves a search and returns its id. A name already used is refused
	// (apperror.Conflict), and so is a search past MaxSavedSearches (apperror.Invalid).
	CreateSavedSearch(ctx context.Context, s SavedSearch) (int64, error)
	// ListSavedSearches lists the saved searches in their position, a new one last.
	ListSavedSearches(ctx context.Context) ([]SavedSearch, error)
	// RenameSavedSearch renames one; a name another one has is refused (apperror.Conflict), an
	// unknown one is apperror.NotFound.
	RenameSavedSearch(ctx context.Context, id int64, name string) error
	// MoveSavedSearch puts one at a position of the list, from 1 (a position past the end is
	// the last), and numbers the others around it 1, 2, 3… in the same transaction.
	MoveSavedSearch(ctx context.Context, id int64, position int) error
	// GetSavedSearch reads one; apperror.NotFound when it is unknown.
	GetSavedSearch(ctx context.Context, id int64) (SavedSearch, error)
	// DeleteSavedSearch deletes one; apperror.NotFound when it is unknown.
	DeleteSavedSearch(ctx context.Context, id int64) error
	// CountOrders counts the orders q finds, up to CountCap+1 (Capped), in one statement: the
	// count of a saved search.
	CountOrders(ctx context.Context, q OrderQuery) (int64, error)
}

// MaxSavedSearches bounds the saved searches: the side bar lists each with a count.
const MaxSavedSearches = 50

// MaxSavedSearchName bounds a saved search's name, in characters.
const MaxSavedSearchName = 50

// SavedSearch is a named search of the order list. Query is the list's query string (what the
// side bar links to); Filter is the store query it stands for, translated once when it was
// saved, which counts it and runs it from the API.
type SavedSearch struct {
	ID        int64
	Name      string
	Position  int // from 1, the side bar's order
	Query     string
	Filter    OrderQuery
	CreatedAt time.Time
	CreatedBy string
}
