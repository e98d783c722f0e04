package workflow

import "strings"

// SystemActorPrefix starts the actor of what ichigen did by itself ("system:confirm"), as an
// order's history records it; a person's actor is their login.
const SystemActorPrefix = "system:"

// systemActorLabels name the system actors that are not a job kind: the jobs that run beside
// the rules.
var systemActorLabels = map[string]string{
	"refetch":       "注文の再取得",
	"payment_drift": "決済状況の照合",
}

// SystemActor says what a system actor is, in Japanese: the job kind's label for
// "system:confirm" (注文確認), what the job does for the jobs beside the rules, "" for a bare
// "system". ok is false for a person's login.
func SystemActor(actor string) (label string, ok bool) {
	if actor == "system" {
		return "", true
	}
	kind, ok := strings.CutPrefix(actor, SystemActorPrefix)
	if !ok {
		return "", false
	}
	if label, ok := systemActorLabels[kind]; ok {
		return label, true
	}
	return JobKind(kind).Label(), true
}

// ActorLabel is an order history's actor as an operator reads it: a person's login as it is,
// "system:confirm" as 自動処理「注文確認」, a bare "system" as 自動処理.
func ActorLabel(actor string) string {
	label, ok := SystemActor(actor)
	switch {
	case !ok:
		return actor
	case label == "":
		return "自動処理"
	}
	return "自動処理「" + label + "」"
}
