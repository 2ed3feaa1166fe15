#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's port block events in the collectors: ipfix.sh blocks.
exec "$(dirname "$0")/ipfix.sh" blocks
