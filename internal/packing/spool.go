package packing

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// Spool keeps an uploaded file on disk between its report (the dry run) and the operator's
// confirmation, so that what is confirmed is the file that was checked, the browser or API
// client does not send it again, and the server never holds it in memory. An upload belongs
// to the user who sent it and to one kind of upload (tracking numbers, orders), and is gone
// after a confirmation, after its time to live, or when newer uploads push it out.
type Spool struct {
	dir     string
	ttl     time.Duration
	max     int
	maxSize int64

	mu    sync.Mutex
	files map[string]*spooled
}

type spooled struct {
	path, kind, owner, note string
	at                      time.Time
}

// The spool's bounds: a day's parcels in B2's 95 columns is far below MaxSpoolBytes.
const (
	MaxSpoolBytes = 256 << 20
	spoolTTL      = time.Hour
	spoolFiles    = 32
)

// Uploads is the process's spool, shared by the web UI and the REST API.
var Uploads = NewSpool("", spoolTTL, spoolFiles, MaxSpoolBytes)

// NewSpool makes a spool in dir ("" is the system's temporary directory) keeping at most max
// files of at most maxSize bytes each, each for ttl.
func NewSpool(dir string, ttl time.Duration, max int, maxSize int64) *Spool {
	return &Spool{dir: dir, ttl: ttl, max: max, maxSize: maxSize, files: map[string]*spooled{}}
}

// SpoolWriter receives an upload as it is read: pass the body through io.TeeReader(body, w).
// Keep it once the upload was read whole and checked, Discard it otherwise.
type SpoolWriter struct {
	s           *Spool
	f           *os.File
	kind, owner string
	n           int64
	err         error
}

// Create starts spooling an upload of kind for owner (the user's login).
func (s *Spool) Create(kind, owner string) (*SpoolWriter, error) {
	f, err := os.CreateTemp(s.dir, "ichigen-upload-*")
	if err != nil {
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	return &SpoolWriter{s: s, f: f, kind: kind, owner: owner}, nil
}

// Write writes to the spooled file; past the spool's size bound it fails, which fails the read
// the upload goes through.
func (w *SpoolWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.n += int64(len(p)); w.n > w.s.maxSize {
		w.err = apperror.New(apperror.Invalid, "ファイルが%dMBを超えています。ファイルを分けてもう一度取り込んでください。", w.s.maxSize>>20)
		return 0, w.err
	}
	n, err := w.f.Write(p)
	if err != nil {
		w.err = fmt.Errorf("spool upload: %w", err)
	}
	return n, w.err
}

// Discard drops the spooled file.
func (w *SpoolWriter) Discard() {
	_ = w.f.Close()
	_ = os.Remove(w.f.Name())
}

// Keep closes the spooled file and returns the id its confirmation names. note is kept with it
// (what the report said, to compare at the confirmation).
func (w *SpoolWriter) Keep(note string, now time.Time) (string, error) {
	if w.err != nil {
		w.Discard()
		return "", w.err
	}
	if err := w.f.Close(); err != nil {
		_ = os.Remove(w.f.Name())
		return "", fmt.Errorf("spool upload: %w", err)
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	s := w.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(now)
	for len(s.files) >= s.max {
		var oldest string
		for k, f := range s.files {
			if oldest == "" || f.at.Before(s.files[oldest].at) {
				oldest = k
			}
		}
		s.drop(oldest)
	}
	s.files[id] = &spooled{path: w.f.Name(), kind: w.kind, owner: w.owner, note: note, at: now}
	return id, nil
}

// errUploadGone is the answer for an upload that is not (or no longer) there.
func errUploadGone() error {
	return apperror.New(apperror.NotFound, "確認したファイルが見つかりません(確認から%d分を過ぎたか、ほかのファイルを取り込みました)。何も登録していません。もう一度ファイルを選んで確認してください。", int(spoolTTL/time.Minute))
}

// Open opens the upload id of kind that owner sent, with its note. The caller closes the file;
// Remove drops it once it is confirmed.
func (s *Spool) Open(id, kind, owner string, now time.Time) (io.ReadCloser, string, error) {
	s.mu.Lock()
	s.expire(now)
	f, ok := s.files[id]
	s.mu.Unlock()
	if !ok || f.kind != kind || f.owner != owner {
		return nil, "", errUploadGone()
	}
	in, err := os.Open(f.path)
	if err != nil {
		return nil, "", errUploadGone()
	}
	return in, f.note, nil
}

// Renote replaces the note of the upload id: the report the operator now sees.
func (s *Spool) Renote(id, note string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.files[id]; ok {
		f.note = note
	}
}

// Remove drops the upload id.
func (s *Spool) Remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop(id)
}

// Len is the number of uploads kept.
func (s *Spool) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files)
}

func (s *Spool) expire(now time.Time) {
	for id, f := range s.files {
		if now.Sub(f.at) > s.ttl {
			s.drop(id)
		}
	}
}

func (s *Spool) drop(id string) {
	if f, ok := s.files[id]; ok {
		_ = os.Remove(f.path)
		delete(s.files, id)
	}
}
