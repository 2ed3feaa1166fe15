#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's port block events in the collectors: ipfix.sh blocks. It
# skips while pool4 refuses block-size (before the block code is merged).
exec "$(dirname "$0")/ipfix.sh" blocks
