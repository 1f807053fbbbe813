#!/bin/sh
# api.sh METHOD PATH [JSON] [KEY]: a call to the simulator at $SIM_URL, for
# the `sh` steps of the key scripts; fails when the call does.
exec curl -s -f -o /dev/null -X "$1" -H "X-API-Key: ${4:-aai_demo_user}" -H "Content-Type: application/json" \
    ${3:+-d "$3"} "$SIM_URL$2"
