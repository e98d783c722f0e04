package packing

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Progress counts how far the server has read and checked one upload: the bytes read and the
// rows checked so far, for the page (or API client) that waits for the answer. A nil *Progress
// counts nothing, so a reader that was given none needs no check.
type Progress struct {
	rows, bytes atomic.Int64
	done        atomic.Bool
	at          atomic.Int64 // unix nanoseconds of the last change, for expiry
}

// AddRows counts n more rows checked.
func (p *Progress) AddRows(n int) {
	if p != nil {
		p.rows.Add(int64(n))
		p.at.Store(time.Now().UnixNano())
	}
}

// Finish marks the reading done (the answer is on its way).
func (p *Progress) Finish() {
	if p != nil {
		p.done.Store(true)
		p.at.Store(time.Now().UnixNano())
	}
}

// Snapshot is what a Progress counted so far.
type Snapshot struct {
	Rows  int64 `json:"rows" doc:"確認した行数"`
	Bytes int64 `json:"bytes" doc:"読んだバイト数"`
	Done  bool  `json:"done" doc:"true: 確認が終わり、結果を返しています"`
}

// Snapshot reads the counts.
func (p *Progress) Snapshot() Snapshot {
	if p == nil {
		return Snapshot{}
	}
	return Snapshot{Rows: p.rows.Load(), Bytes: p.bytes.Load(), Done: p.done.Load()}
}

// Reader counts the bytes read through r.
func (p *Progress) Reader(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	return &countingReader{r: r, p: p}
}

type countingReader struct {
	r io.Reader
	p *Progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.bytes.Add(int64(n))
	return n, err
}

type progressKey struct{}

// WithProgress gives a reader further down (orderimport, CheckTracking) the Progress to count on.
func WithProgress(ctx context.Context, p *Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

// ProgressOf is the context's Progress, nil if none.
func ProgressOf(ctx context.Context) *Progress {
	p, _ := ctx.Value(progressKey{}).(*Progress)
	return p
}

// ProgressBoard holds the Progress of the uploads being checked, by owner and a key the client
// chose, so that a page can ask how far its upload is. It is bounded: at most max entries, each
// dropped ttl after its last change; a full board drops its oldest entry.
type ProgressBoard struct {
	ttl time.Duration
	max int

	mu sync.Mutex
	m  map[progressEntryKey]*Progress
}

type progressEntryKey struct{ owner, key string }

// Checks is the process's board, shared by the web UI and the REST API.
var Checks = NewProgressBoard(10*time.Minute, 256)

// NewProgressBoard makes a board of at most max entries kept ttl after their last change.
func NewProgressBoard(ttl time.Duration, max int) *ProgressBoard {
	return &ProgressBoard{ttl: ttl, max: max, m: map[progressEntryKey]*Progress{}}
}

// MaxProgressKey bounds a client's key.
const MaxProgressKey = 64

// Start registers a new Progress under owner and key and returns it; an empty or too long key
// registers nothing and returns nil (which counts nothing).
func (b *ProgressBoard) Start(owner, key string) *Progress {
	if key == "" || len(key) > MaxProgressKey {
		return nil
	}
	p := &Progress{}
	now := time.Now()
	p.at.Store(now.UnixNano())
	b.mu.Lock()
	defer b.mu.Unlock()
	b.expire(now)
	for len(b.m) >= b.max {
		var oldest progressEntryKey
		var at int64 = -1
		for k, e := range b.m {
			if a := e.at.Load(); at < 0 || a < at {
				oldest, at = k, a
			}
		}
		delete(b.m, oldest)
	}
	b.m[progressEntryKey{owner, key}] = p
	return p
}

// Get is the progress of owner's upload key; false if there is none (not started, or expired).
func (b *ProgressBoard) Get(owner, key string) (Snapshot, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.expire(time.Now())
	p, ok := b.m[progressEntryKey{owner, key}]
	return p.Snapshot(), ok
}

// Len is the number of entries held.
func (b *ProgressBoard) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.m)
}

func (b *ProgressBoard) expire(now time.Time) {
	for k, p := range b.m {
		if now.Sub(time.Unix(0, p.at.Load())) > b.ttl {
			delete(b.m, k)
		}
	}
}
