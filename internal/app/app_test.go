package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/secret"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

func testConfig(t testing.TB, db string) *config.Config {
	dir := t.TempDir()
	cfg := &config.Config{DataDir: filepath.Join(dir, "data"), DB: db, Addr: "127.0.0.1:0", LogLevel: "warn",
		ShutdownTimeout: 5 * time.Second, MaxWorkers: 4, CallRetention: time.Hour, ChannelTimeout: 2 * time.Second,
		JobTimeout: time.Minute} // the flag's default: a run works up to half of it
	if db != "" {
		cfg.SecretKey = sharedKey // instances on one PostgreSQL share the key
	}
	return cfg
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

type health struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func getHealth(t *testing.T, url string) (int, health) {
	t.Helper()
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h health
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, h
}

func TestServeAnswersHealthzOnBothEngines(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, db string) {
		srv, err := Start(context.Background(), testConfig(t, db), quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		code, h := getHealth(t, srv.URL())
		if code != http.StatusOK || h.Status != "ok" || h.Checks["database"] != "ok" || h.Checks["queue"] != "ok" {
			t.Fatalf("healthz %d %+v", code, h)
		}
		if engine := map[bool]string{true: "sqlite", false: "postgres"}[db == ""]; srv.Store.Engine() != engine {
			t.Fatalf("engine %s, want %s", srv.Store.Engine(), engine)
		}
		resp, err := http.Get(srv.URL() + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `ichigen_http_requests_total{code="200",route="/healthz"} 1`) {
			t.Fatalf("metrics do not count the healthz request:\n%s", body)
		}
		if err := srv.Shutdown(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestHealthzReportsAnUnreachableDatabase(t *testing.T) {
	t.Parallel()
	srv, err := Start(context.Background(), testConfig(t, ""), quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	srv.Store.Close()
	code, h := getHealth(t, srv.URL())
	if code != http.StatusServiceUnavailable || h.Status != "unavailable" || h.Checks["database"] == "ok" {
		t.Fatalf("healthz with a closed database: %d %+v", code, h)
	}
}

// Two instances started at once on one PostgreSQL database both migrate safely and serve.
func TestTwoInstancesShareOnePostgres(t *testing.T) {
	t.Parallel()
	db := storetest.PostgresSchemaURL(t)
	servers := make([]*Server, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			servers[i], errs[i] = Start(context.Background(), testConfig(t, db), quietLogger())
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
	for _, srv := range servers {
		if code, h := getHealth(t, srv.URL()); code != http.StatusOK {
			t.Fatalf("healthz %d %+v", code, h)
		}
		if err := srv.Shutdown(); err != nil {
			t.Fatal(err)
		}
	}
}

var sharedKey = base64.StdEncoding.EncodeToString(secret.NewKey())

// A long write holding SQLite's one writer connection does not fail the health check.
func TestHealthzAnswersDuringALongWrite(t *testing.T) {
	t.Parallel()
	srv, err := Start(context.Background(), testConfig(t, ""), quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	release := make(chan struct{})
	held := make(chan struct{})
	go func() {
		_ = srv.Store.InTx(context.Background(), func(tx store.Tx) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	defer close(release)
	if code, h := getHealth(t, srv.URL()); code != http.StatusOK {
		t.Fatalf("healthz while the writer is busy: %d %+v", code, h)
	}
}
