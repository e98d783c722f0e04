package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// TakeToken implements store.Store: the generic cell rate algorithm, a token bucket kept as one
// number. The bucket's arrival time moves one interval on from the later of itself and now; the
// call leaves once that time is at most burst intervals ahead of now.
func (s *Store) TakeToken(ctx context.Context, key string, every time.Duration, burst int) (time.Duration, error) {
	every = max(every, time.Microsecond)
	now := s.now()
	var tat int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		tat, err = t.q.TakeBucketToken(ctx, sqlitedb.TakeBucketTokenParams{Key: key, NowUs: now.UnixMicro(), IntervalUs: every.Microseconds()})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("take a token of a call bucket: %w", err)
	}
	return max(0, time.UnixMicro(tat).Add(-time.Duration(max(burst, 1))*every).Sub(now)), nil
}
