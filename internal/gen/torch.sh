#!/bin/sh
# torch.sh SCRIPT runs a fixture generator with $PYTHON (default python3),
# which must import torch (Debian: apt-get install -y python3-torch).
set -e
py=${PYTHON:-python3}
if ! "$py" -c 'import torch' 2>/dev/null; then
	echo "torch.sh: $py cannot import torch; install python3-torch or set PYTHON" >&2
	exit 1
fi
exec "$py" "$@"
