/* cmdtab.c: every subcommand with its options and help, in one table, so
 * that parsing, dispatch and --help cannot disagree. */
#include "config.h"

#include <stddef.h>

#include "cli/cli_priv.h"

#define END {NULL, 0, false, false}

static const cli_optspec chat_opts[] = {
    {"system", 's', true, false},     {"no-stream", 0, false, false},
    {"temperature", 0, true, false},  {"max-tokens", 0, true, false},
    {"top-p", 0, true, false},        {"extra", 0, true, false},
    {"save", 0, false, false},        END,
};
static const cli_optspec config_opts[] = {{"run-key-commands", 0, false, false}, END};
static const cli_optspec create_opts[] = {
    {"client-id", 0, true, false}, {"system", 's', true, false}, {"context", 0, true, true},
    {"metadata", 0, true, true},   {"mode", 0, true, false},     {"model", 'm', true, false},
    {"max-tokens", 0, true, false}, END,
};
static const cli_optspec send_opts[] = {
    {"unsent", 0, false, false},     {"resend", 0, true, true},
    {"resend-all", 0, false, false}, {"include-uncertain", 0, false, false},
    {"discard", 0, true, true},      {"model", 'm', true, false},
    {"max-tokens", 0, true, false},  END,
};
static const cli_optspec list_opts[] = {{"mode", 0, true, false}, {"status", 0, true, false}, END};
static const cli_optspec watch_opts[] = {
    {"workspace", 0, true, false}, {"since", 0, true, false}, {"deltas", 0, false, false}, END,
};
static const cli_optspec drafts_opts[] = {{"workspace", 0, true, false}, END};
#define IDEM {"idempotency-key", 0, true, false}
static const cli_optspec approve_opts[] = {{"edit", 0, true, false}, IDEM, END};
static const cli_optspec reject_opts[] = {{"reason", 0, true, false}, IDEM, END};
static const cli_optspec keyed_opts[] = {IDEM, END};
static const cli_optspec session_opts[] = {
    {"voice", 0, true, false},        {"model", 0, true, false},
    {"temperature", 0, true, false},  {"instructions", 0, true, false},
    {"show-secrets", 0, false, false}, END,
};
static const cli_optspec call_opts[] = {
    {"voice", 0, true, false},        {"model", 0, true, false},
    {"instructions", 0, true, false}, {"say", 0, true, false},
    {"wav", 0, true, false},          {"save", 0, true, false},
    {"text", 0, false, false},        {"beta", 0, false, false},
    {"realtime-url", 0, true, false}, END,
};
static const cli_optspec turn_opts[] = {{"show-secrets", 0, false, false}, END};
static const cli_optspec compare_opts[] = {
    {"model", 'm', true, true},      {"runs", 'n', true, false}, {"max-tokens", 0, true, false},
    {"system", 's', true, false},    {"temperature", 0, true, false},
    {"save", 0, false, false},       END,
};

/* The manager actions' key (docs/protocol.md section 4). */
#define IDEM_HELP                                                                              \
    "      --idempotency-key K  the action's key (a new one when not given).\n"                \
    "                           The service applies a key once and answers a\n"                \
    "                           repeat with the first answer, for 24 hours:\n"                 \
    "                           after a failure that may have left it applied,\n"              \
    "                           repeat the command with the same key (the\n"                   \
    "                           error shows it)\n"

const cli_cmd cli_commands[] = {
    {"chat", NULL, chat_opts, 0, -1, cli_cmd_chat, "chat [OPTION]... [PROMPT... | -]",
     "ask a model; the reply streams to stdout",
     "The prompt is the arguments joined by spaces, or standard input with '-' (or\n"
     "with no argument when standard input is not a terminal).\n"
     "\n"
     "  -m, --model MODEL      the model (default: the configured one)\n"
     "  -s, --system TEXT      a system prompt\n"
     "      --no-stream        wait for the whole reply\n"
     "      --temperature T    0 to 2 (default 0.7)\n"
     "      --max-tokens N     longest reply in tokens (default: max_tokens of the\n"
     "                         config file, 1024 if not set; at most 1000000)\n"
     "      --top-p P          0 to 1 (default 1.0)\n"
     "      --extra JSON       more OpenAI fields, as a JSON object\n"
     "      --save             keep the exchange in a local transcript\n"
     "      --json             one object at the end: {id, model, content,\n"
     "                         finish_reason, usage, skipped_chunks, error};\n"
     "                         usage has \"estimated\": true when the server sent\n"
     "                         none and the tokens were counted here\n"
     "\n"
     "Example: aidesk chat -m claude-3-haiku-20240307 'Write a haiku about tea'\n"},
    {"models", NULL, NULL, 0, 0, cli_cmd_models, "models", "list the models AiAssist routes to",
     "One model per line with its provider; --json prints [{id, provider}].\n"
     "\n"
     "Example: aidesk models | grep groq\n"},
    {"compare", NULL, compare_opts, 0, -1, cli_cmd_compare,
     "compare -m MODEL [-m MODEL]... [OPTION]... [PROMPT... | -]",
     "send one prompt to several models at once and compare their speed",
     "Every model gets the prompt at the same time (streamed); the table shows\n"
     "each one's state, time to first token, tokens per second after the first\n"
     "token, total time, prompt and completion tokens (~: counted here, the\n"
     "server sent no usage) and finish reason; * marks the fastest first token\n"
     "and the highest rate. A failed model keeps its row and its error goes to\n"
     "standard error; the exit status is the worst model's.\n"
     "\n"
     "  -m, --model MODEL      a model to compare (repeat: 1 to 12 models)\n"
     "  -n, --runs N           run the prompt N times (1 to 100), all models at\n"
     "                         once each time, and add median and spread\n"
     "  -s, --system TEXT      a system prompt, the same for every model\n"
     "      --temperature T    0 to 2, the same for every model (default: the\n"
     "                         server's)\n"
     "      --max-tokens N     longest reply in tokens (default: max_tokens of the\n"
     "                         config file, 1024 if not set; at most 1000000)\n"
     "      --save             keep the comparison in a local transcript\n"
     "      --json             one object: {prompt, system, temperature, runs,\n"
     "                         columns: [{model,\n"
     "                         provider, state, error, exit_code, ttft_ms, tok_s,\n"
     "                         total_s, prompt_tokens, completion_tokens, ...,\n"
     "                         answer, runs, stats}], transcript}\n"
     "\n"
     "Example: aidesk compare -m gpt-4o -m claude-3-5-sonnet-20241022 -n 3 'Explain DNS'\n"},
    {"config", NULL, config_opts, 0, 0, cli_cmd_config, "config [--run-key-commands]",
     "show the effective configuration and where each value comes from",
     "Secrets are never shown, only whether they are set and from where. Key\n"
     "commands (api_key_cmd, project_id_cmd) are not run unless asked:\n"
     "\n"
     "      --run-key-commands  run them, to check that they work\n"
     "\n"
     "Example: aidesk config --run-key-commands\n"},
    {"ws", "create", create_opts, 0, -1, cli_cmd_ws_create, "ws create [OPTION]... [MESSAGE... | -]",
     "open a workspace (a customer conversation)",
     "      --client-id ID      your id for the customer\n"
     "  -s, --system TEXT       a system prompt\n"
     "      --context KEY=VALUE context for the AI (repeatable)\n"
     "      --metadata KEY=VALUE your own data kept with it (repeatable)\n"
     "      --mode MODE         ai, shadow or takeover (metadata.mode)\n"
     "  -m, --model MODEL       the model answering in it\n"
     "      --max-tokens N      the longest reply in tokens\n"
     "\n"
     "A VALUE is sent as JSON when it is JSON: a number, true, false, null, a\n"
     "[list] or an {object}, or a \"string\" in double quotes; anything else is\n"
     "sent as the text written (name=Ada). Quote a number meant as text:\n"
     "--context zip='\"01234\"'.\n"
     "\n"
     "Example: aidesk ws create --client-id cust_42 --context name=Ada \\\n"
     "           --context 'recent_orders=[\"ORD-001\",\"ORD-002\"]' 'Where is my order?'\n"},
    {"ws", "get", NULL, 1, 1, cli_cmd_ws_get, "ws get ID", "show a workspace",
     "Example: aidesk ws get ws_8f2c\n"},
    {"ws", "find", NULL, 1, 1, cli_cmd_ws_find, "ws find CLIENT_ID",
     "find the active workspace of a client",
     "Not found: exit status 1, with a message (with --json, {\"exists\":false}).\n"
     "\n"
     "Example: aidesk ws find cust_42\n"},
    {"ws", "send", send_opts, 0, -1, cli_cmd_ws_send,
     "ws send [OPTION]... [ID [MESSAGE... | -]]",
     "send a customer message and show the answer",
     "  aidesk ws send [-m MODEL] [--max-tokens N] ID (MESSAGE... | -)\n"
     "  aidesk ws send [ID] --unsent\n"
     "  aidesk ws send [ID] --resend-all [--include-uncertain]\n"
     "  aidesk ws send --resend UNSENT_ID...\n"
     "  aidesk ws send --discard UNSENT_ID...\n"
     "\n"
     "A message that could not be sent is kept on disk under an id of its own\n"
     "(several can wait for one workspace), with its state: \"unsent\" when the\n"
     "service certainly did not get it, \"uncertain\" when it may have (its send\n"
     "failed on the way, or was cut short), \"sending\" while an aidesk sends it.\n"
     "\n"
     "  -m, --model MODEL         the model that answers this message (the\n"
     "                            workspace's model stays for the next)\n"
     "      --max-tokens N        the longest reply to this message, in tokens\n"
     "      --unsent              list the kept messages (of workspace ID, or all):\n"
     "                            id, workspace, age, state, first line; with\n"
     "                            --json: [{id, workspace, written, age_s, state,\n"
     "                            as_agent, held, holder_pid, idem_key, text}]\n"
     "      --resend UNSENT_ID    send that kept message, even an uncertain one\n"
     "                            (repeatable); it is forgotten once sent\n"
     "      --resend-all          send every kept message (of ID, or all) except\n"
     "                            the uncertain ones (a reply with its key goes:\n"
     "                            the service applies it once)\n"
     "      --include-uncertain   with --resend-all: the uncertain ones too (check\n"
     "                            'aidesk ws history ID' first)\n"
     "      --discard UNSENT_ID   forget a kept message without sending it\n"
     "                            (repeatable)\n"
     "\n"
     "A kept message that another aidesk holds (a console showing it, or a send\n"
     "under way) is left to it; each one is sent at most once.\n"
     "\n"
     "Example: aidesk ws send ws_8f2c 'It has not arrived yet'\n"},
    {"ws", "history", NULL, 1, 1, cli_cmd_ws_history, "ws history ID",
     "show a workspace's messages", "Example: aidesk ws history ws_8f2c\n"},
    {"ws", "typing", NULL, 2, -1, cli_cmd_ws_typing, "ws typing ID TEXT...",
     "send a typing preview (what the customer is typing)",
     "Example: aidesk ws typing ws_8f2c 'It has not arr'\n"},
    {"ws", "end", NULL, 1, 1, cli_cmd_ws_end, "ws end ID", "end a workspace",
     "Example: aidesk ws end ws_8f2c\n"},
    {"ws", "list", list_opts, 0, 0, cli_cmd_ws_list, "ws list [--mode MODE] [--status STATUS]",
     "list workspaces, most recent activity first (agent key)",
     "      --mode MODE       ai, shadow or takeover\n"
     "      --status STATUS   active or ended\n"
     "\n"
     "Example: aidesk ws list --mode shadow --status active\n"},
    {"ws", "watch", watch_opts, 0, 0, cli_cmd_ws_watch,
     "ws watch [--workspace ID] [--since EVENT_ID] [--deltas]",
     "print live events, one line each, until interrupted (agent key)",
     "Reconnects after a drop and resumes where it stopped; without the manager\n"
     "API it polls the history of --workspace every 2 s.\n"
     "\n"
     "      --workspace ID    only this workspace's events\n"
     "      --since EVENT_ID  replay the events after this one first\n"
     "      --deltas          also print message.delta (replies being written)\n"
     "      --json            one JSON object a line: {id, type, workspace_id,\n"
     "                        t, data}\n"
     "\n"
     "Example: aidesk ws watch --json | jq -c 'select(.type == \"draft.pending\")'\n"},
    {"ws", "mode", keyed_opts, 2, 2, cli_cmd_ws_mode, "ws mode ID MODE [--idempotency-key K]",
     "switch a workspace to ai, shadow or takeover (agent key)",
     IDEM_HELP
     "\n"
     "Example: aidesk ws mode ws_8f2c takeover\n"},
    {"ws", "drafts", drafts_opts, 0, 0, cli_cmd_ws_drafts, "ws drafts [--workspace ID]",
     "list drafts waiting for approval, oldest first (agent key)",
     "Each draft comes with the customer message it answers.\n"
     "\n"
     "      --workspace ID   only this workspace's drafts\n"
     "\n"
     "Example: aidesk ws drafts --workspace ws_8f2c\n"},
    {"ws", "approve", approve_opts, 1, 1, cli_cmd_ws_approve,
     "ws approve DRAFT_ID [--edit TEXT] [--idempotency-key K]",
     "send a draft to the customer (agent key)",
     "      --edit TEXT   send this text instead of the draft's\n"
     IDEM_HELP
     "\n"
     "Example: aidesk ws approve drf_19a0 --edit 'It ships today.'\n"},
    {"ws", "reject", reject_opts, 1, 1, cli_cmd_ws_reject,
     "ws reject DRAFT_ID [--reason TEXT] [--idempotency-key K]",
     "throw a draft away (agent key)",
     "      --reason TEXT   why, for the record\n"
     IDEM_HELP
     "\n"
     "Example: aidesk ws reject drf_19a0 --reason 'wrong order'\n"},
    {"ws", "reply", keyed_opts, 2, -1, cli_cmd_ws_reply,
     "ws reply ID (MESSAGE... | -) [--idempotency-key K]",
     "answer a customer as a human agent (agent key)",
     IDEM_HELP
     "\n"
     "A reply that cannot be sent is kept with its key (see ws send --unsent).\n"
     "\n"
     "Example: aidesk ws reply ws_8f2c 'I have refunded the order.'\n"},
    {"gate", "session", session_opts, 0, 0, cli_cmd_gate_session,
     "gate session [OPTION]...", "create an AI Gate realtime session",
     "      --voice VOICE         alloy, echo, fable, onyx, nova or shimmer (echo)\n"
     "      --model MODEL         the realtime model\n"
     "                            (gpt-4o-realtime-preview-2024-10-01)\n"
     "      --temperature T       0 to 1 (0.7)\n"
     "      --instructions TEXT   the session's instructions\n"
     "      --show-secrets        show the client secret and TURN credentials\n"
     "      --json                the whole answer, secrets included, and the rate limit\n"
     "\n"
     "Example: aidesk gate session --voice nova --show-secrets\n"},
    {"gate", "turn", turn_opts, 0, 0, cli_cmd_gate_turn, "gate turn [--show-secrets]",
     "get TURN/STUN servers for WebRTC",
     "      --show-secrets   show the TURN credentials\n"
     "\n"
     "Example: aidesk gate turn --json\n"},
    {"gate", "call", call_opts, 0, 0, cli_cmd_gate_call,
     "gate call [OPTION]... (--say TEXT | --wav FILE)",
     "create a session, call it over the Realtime API and print the reply",
     "      --say TEXT            say this (a text turn)\n"
     "      --wav FILE            say this WAV file (16-bit PCM, mono or stereo,\n"
     "                            any rate: sent as PCM16 mono 24 kHz)\n"
     "      --voice VOICE         the session's voice (echo)\n"
     "      --model MODEL         the realtime model\n"
     "      --instructions TEXT   the session's instructions\n"
     "      --text                ask for a text reply, no audio\n"
     "      --save DIR            write transcript.txt and the reply as turn-1.wav\n"
     "      --beta                speak the beta protocol (OpenAI-Beta: realtime=v1)\n"
     "      --realtime-url URL    the Realtime endpoint (AI_GATE_REALTIME_URL, else\n"
     "                            realtime_url in [gate], else\n"
     "                            wss://api.openai.com/v1/realtime); ws:// only\n"
     "                            to this machine\n"
     "      --json                the reply, its timings and usage as JSON\n"
     "\n"
     "The reply streams as it comes (an audio reply's transcript), then its\n"
     "timings (first text, first audio, duration) and the usage it reported.\n"
     "\n"
     "Example: aidesk gate call --voice nova --say 'Where is my parcel?'\n"},
    {"gate", "health", NULL, 0, 0, cli_cmd_gate_health, "gate health",
     "show AI Gate's health and public metrics", "Example: aidesk gate health\n"},
    {"completion", NULL, NULL, 1, 1, cli_cmd_completion, "completion bash|zsh",
     "print the shell completion script for bash or zsh",
     "The script completes the commands, their options and arguments, modes and\n"
     "voices, and asks the server for models, workspace ids and draft ids when\n"
     "Tab is pressed (through this program's --json output; nothing happens\n"
     "without a key). make install puts both scripts where the shells look for\n"
     "them; without that, load one at start-up:\n"
     "\n"
     "  bash (~/.bashrc):  source <(aidesk completion bash)\n"
     "  zsh (~/.zshrc, after compinit):  source <(aidesk completion zsh)\n"
     "\n"
     "Example: aidesk completion zsh > ~/.zfunc/_aidesk\n"},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
