/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved. */

#ifndef _NAT64_TRANSLATE_H
#define _NAT64_TRANSLATE_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

unsigned int nat64_hook6(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state);
unsigned int nat64_hook4(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state);

#endif /* _NAT64_TRANSLATE_H */
