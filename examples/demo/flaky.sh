#!/bin/sh
# A worker that does some work, then crashes: exit 1 after 3 to 6 seconds.
echo "flaky: incarnation $GROVE_INCARNATION of $GROVE_PATH starting"
sleep $((3 + $$ % 4))
echo "flaky: something went wrong, crashing" >&2
exit 1
