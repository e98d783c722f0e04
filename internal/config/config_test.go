package config

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/urfave/cli/v3"
)

// parse runs the flags over args and environment like the binary does.
func parse(t *testing.T, args []string, env map[string]string) (*Config, error) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	c := &Config{}
	cmd := &cli.Command{Name: "ichigen", Flags: c.Flags(), Writer: io.Discard, ErrWriter: io.Discard, Action: func(context.Context, *cli.Command) error { return nil }}
	err := cmd.Run(context.Background(), append([]string{"ichigen"}, args...))
	return c, err
}

func TestOptionsComeFromFlagsAndEnvironment(t *testing.T) {
	c, err := parse(t, []string{"--addr", ":9090"}, map[string]string{"ICHIGEN_DATA_DIR": "/var/lib/ichigen", "ICHIGEN_MAX_WORKERS": "7"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9090" || c.DataDir != "/var/lib/ichigen" || c.MaxWorkers != 7 {
		t.Fatalf("%+v", c)
	}
	if engine, path := c.Engine(); engine != "sqlite" || path != "/var/lib/ichigen/ichigen.db" {
		t.Fatalf("default database %s %s", engine, path)
	}
}

func TestBadOptionsSayWhatToDo(t *testing.T) {
	cases := map[string][]string{
		"use sqlite:PATH":            {"--db", "mysql://x"},
		"HOST:PORT":                  {"--addr", "8080"},
		"openssl rand -base64 32":    {"--secret-key", "short"},
		"debug, info, warn or error": {"--log-level", "loud"},
		"greater than zero":          {"--max-workers", "0"},
		"without a name or < >":      {"--notify-to", "ops@example.jp, 運用 <boss@example.jp>"},
	}
	for want, args := range cases {
		if _, err := parse(t, args, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: %v, want a message containing %q", args, err, want)
		}
	}
}

func TestDumpRedactsSecrets(t *testing.T) {
	c, err := parse(t, []string{"--db", "postgres://ichigen:hunter2@db:5432/ichigen", "--secret-key", "Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyMTI="}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c.Dump(&out)
	s := out.String()
	if strings.Contains(s, "hunter2") || strings.Contains(s, "Zm9vYmFy") {
		t.Fatalf("dump shows a secret:\n%s", s)
	}
	if got := RedactURL("postgres://db/ichigen?sslpassword=a&password=hunter2"); strings.Contains(got, "hunter2") || strings.Contains(got, "=a") {
		t.Fatalf("query passwords shown: %s", got)
	}
	for _, want := range []string{"ICHIGEN_DB=postgres://ichigen:xxxxx@db:5432/ichigen", "ICHIGEN_SECRET_KEY=(set, redacted)", "ICHIGEN_ADDR=127.0.0.1:8080"} {
		if !strings.Contains(s, want) {
			t.Errorf("dump lacks %s:\n%s", want, s)
		}
	}
}

func TestPostgresNeedsAnExplicitSecretKey(t *testing.T) {
	c := &Config{DataDir: t.TempDir(), DB: "postgres://db/ichigen"}
	if _, err := c.SecretBox(); err == nil || !strings.Contains(err.Error(), "ICHIGEN_SECRET_KEY") {
		t.Fatalf("want a request for ICHIGEN_SECRET_KEY, got %v", err)
	}
	c.DB = ""
	if _, err := c.SecretBox(); err != nil {
		t.Fatalf("SQLite generates its key: %v", err)
	}
}

// A job timeout shorter than two marketplace calls is refused, saying what to set; the defaults
// pass.
func TestJobTimeoutMustOutlastTwoCalls(t *testing.T) {
	c, err := parse(t, []string{"--job-timeout", "40s"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckTimeouts(); err == nil || !strings.Contains(err.Error(), "make it at least 1m0s") {
		t.Fatalf("--job-timeout 40s with --channel-timeout 30s: %v", err)
	}
	if c, err = parse(t, nil, nil); err != nil || c.CheckTimeouts() != nil || c.JobTimeout.String() != "1m0s" {
		t.Fatalf("defaults: %v %v %s", err, c.CheckTimeouts(), c.JobTimeout)
	}
}
