// Package server is ichigen's HTTP surface: /healthz, /metrics, the operator's web UI and the
// REST API at /api/v1.
package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// apiPrefix is where the REST API is mounted (api.Prefix; the api package imports the store,
// which this package does not need).
const apiPrefix = "/api/v1"

// Pinger is something /healthz checks.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are what the server needs.
type Deps struct {
	Database Pinger
	Queue    Pinger
	Version  string
	// Web is the operator's UI, served at every path the server itself does not answer; nil
	// serves none.
	Web http.Handler
	// API is the REST API, served below /api/v1/ (api.Prefix); nil serves none. It takes bearer
	// tokens only, so the UI's cookies and CSRF checks do not apply there.
	API http.Handler
}

// New returns the HTTP handler.
func New(d Deps) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	build := prometheus.NewGauge(prometheus.GaugeOpts{Name: "ichigen_build_info", Help: "ichigen version", ConstLabels: prometheus.Labels{"version": d.Version}})
	build.Set(1)
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ichigen_http_requests_total", Help: "HTTP requests by route and status code"}, []string{"route", "code"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ichigen_http_request_duration_seconds", Help: "HTTP request duration by route",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5}}, []string{"route"})
	reg.MustRegister(build, requests, duration)

	mux := http.NewServeMux()
	handle := func(pattern, route string, h http.Handler) {
		mux.Handle(pattern, instrument(route, requests, duration, h))
	}
	handle("GET /healthz", "/healthz", healthz(d))
	handle("GET /metrics", "/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	if d.Web != nil {
		handle("/", "web", d.Web)
	}
	if d.API != nil {
		handle(apiPrefix+"/", "api", d.API)
	}
	return mux
}

// healthz answers 200 when the database and the queue answer, 503 otherwise, with each check's
// result.
func healthz(d Deps) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		checks := map[string]string{}
		status, code := "ok", http.StatusOK
		for name, p := range map[string]Pinger{"database": d.Database, "queue": d.Queue} {
			if err := p.Ping(ctx); err != nil {
				checks[name] = err.Error()
				status, code = "unavailable", http.StatusServiceUnavailable
				continue
			}
			checks[name] = "ok"
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "checks": checks, "version": d.Version})
	}
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

func instrument(route string, requests *prometheus.CounterVec, duration *prometheus.HistogramVec, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(rec, r)
		requests.WithLabelValues(route, strconv.Itoa(rec.code)).Inc()
		duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}
