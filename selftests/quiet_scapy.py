# SPDX-License-Identifier: GPL-2.0
"""Imported before scapy: the packet tests build frames for links scapy
knows nothing of, so its routing warnings are noise."""

import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
logging.getLogger("scapy").setLevel(logging.ERROR)
