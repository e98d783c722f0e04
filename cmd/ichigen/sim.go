package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// simCommand runs one marketplace simulator alone, for a shop's own trials and anyone's client:
// a subcommand for each registered channel's simulator.
func simCommand() *cli.Command {
	cmd := &cli.Command{Name: "sim", Usage: "run a marketplace simulator alone"}
	for _, spec := range channel.All() {
		if spec.Simulator != nil {
			cmd.Commands = append(cmd.Commands, channelSimCommand(spec))
		}
		if spec.FileOnly && spec.FileDemo != nil {
			cmd.Commands = append(cmd.Commands, fileSimCommand(spec))
		}
	}
	return cmd
}

// channelSimCommand is `ichigen sim <channel>`: the listen address, the quota and the
// credentials the simulator accepts, as its flags.
func channelSimCommand(spec *channel.Spec) *cli.Command {
	sim := spec.Simulator
	var addr string
	var quota float64
	creds := make([]string, len(sim.Flags))
	flags := []cli.Flag{
		&cli.StringFlag{Name: "addr", Value: sim.DefaultAddr, Usage: "listen address HOST:PORT", Destination: &addr, Sources: cli.EnvVars("ICHIGEN_SIM_ADDR")},
		&cli.FloatFlag{Name: "quota", Value: spec.Quota.PerSecond, Usage: "requests per second per credential (0: unlimited)", Destination: &quota, Sources: cli.EnvVars("ICHIGEN_SIM_QUOTA")},
	}
	for i, f := range sim.Flags {
		flags = append(flags, &cli.StringFlag{Name: f.Flag, Value: f.Default, Usage: f.Usage, Destination: &creds[i], Sources: cli.EnvVars(f.Env)})
	}
	return &cli.Command{
		Name:  spec.Name,
		Usage: sim.Usage,
		Flags: flags,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			config := channel.SimConfig{Credentials: map[string]string{}, QuotaPerSecond: quota, Seed: uint64(time.Now().UnixNano())}
			for i, f := range sim.Flags {
				if creds[i] == "" {
					return fmt.Errorf("--%s を指定してください(空にはできません)", f.Flag)
				}
				config.Credentials[f.Key] = creds[i]
			}
			s := sim.New(config)
			return serveSim(ctx, addr, s.Handler(), func(at net.Addr) { fmt.Print(s.Banner("http://" + at.String())) })
		},
	}
}

// serveSim listens on addr, prints the simulator's banner and serves until ctx ends.
func serveSim(ctx context.Context, addr string, handler http.Handler, banner func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	banner(ln.Addr())
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// fileSimCommand is `ichigen sim <file-only channel>`: such a channel has no marketplace to
// simulate, so it writes an order file of its demo shop's buyers (the demo shop's column
// mapping reads it), for trying the CSV upload.
func fileSimCommand(spec *channel.Spec) *cli.Command {
	var count int
	return &cli.Command{
		Name:  spec.Name,
		Usage: "write a sample order file of the " + spec.LabelEN + " to stdout (it has no API to simulate)",
		Flags: []cli.Flag{&cli.IntFlag{Name: "orders", Value: 10, Usage: "orders in the file", Destination: &count}},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if count < 1 || count > 100_000 {
				return fmt.Errorf("--orders は 1〜100000 で指定してください")
			}
			_, err := os.Stdout.Write(spec.FileDemo.Orders(count, 1, time.Now(), rand.IntN))
			return err
		},
	}
}
