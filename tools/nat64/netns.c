// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * Network namespaces by the names "ip netns" gives them (files in
 * /run/netns), by path, and by the inode number configfs shows
 * ("net:[INODE]"). The generic netlink family answers only for the
 * instance of the socket's namespace, so the tool goes there to ask.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "netns.h"

#define NSFS_MAGIC 0x6e736673

/* "NAME" is /run/netns/NAME; anything with a slash is a path. */
int netns_path(const char *word, char *path, size_t size)
{
	int len;

	if (!*word)
		return -1;
	if (strchr(word, '/'))
		len = snprintf(path, size, "%s", word);
	else
		len = snprintf(path, size, "%s/%s", NETNS_RUN_DIR, word);
	return len < 0 || (size_t)len >= size ? -1 : 0;
}

/* The namespace @path names: 0, or -1 and why not. */
int netns_inum(const char *path, unsigned long *inum, const char **why)
{
	struct statfs sfs;
	struct stat st;
	int fd, type;

	/* Checked before the open: opening a device or a FIFO could act. */
	if (statfs(path, &sfs) || sfs.f_type != NSFS_MAGIC) {
		*why = errno == ENOENT ? "no such namespace (see ip netns list)" :
		       "not a network namespace file";
		return -1;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*why = errno == ENOENT ? "no such namespace (see ip netns list)" :
		       strerror(errno);
		return -1;
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type != CLONE_NEWNET || fstat(fd, &st)) {
		close(fd);
		*why = "not a network namespace file";
		return -1;
	}
	close(fd);
	*inum = st.st_ino;
	return 0;
}

unsigned long netns_self(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : st.st_ino;
}

/* The name in /run/netns of namespace @inum: 0, or -1 if it has none. */
int netns_name(unsigned long inum, char *name, size_t size)
{
	char path[512];
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int found = -1;

	dir = opendir(NETNS_RUN_DIR);
	if (!dir)
		return -1;
	while (found && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, d->d_name);
		if (!stat(path, &st) && st.st_ino == inum &&
		    strlen(d->d_name) < size) {
			strcpy(name, d->d_name);
			found = 0;
		}
	}
	closedir(dir);
	return found;
}

/*
 * A path to namespace @inum: ours, a named one, or any process's. The
 * last is good for now only: it goes with the process.
 */
int netns_find(unsigned long inum, char *path, size_t size)
{
	char name[256];
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int found = -1;

	if (inum == netns_self())
		return snprintf(path, size, "/proc/self/ns/net") < 0 ? -1 : 0;
	if (!netns_name(inum, name, sizeof(name)))
		return netns_path(name, path, size);
	dir = opendir("/proc");
	if (!dir)
		return -1;
	while (found && (d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, size, "/proc/%s/ns/net", d->d_name);
		if (!stat(path, &st) && st.st_ino == inum)
			found = 0;
	}
	closedir(dir);
	return found;
}

/* setns() to the network namespace @path names. */
int netns_enter(const char *path)
{
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "nat64: network namespace %s: %s (see ip netns list)\n",
			path, strerror(errno));
		return -1;
	}
	err = setns(fd, CLONE_NEWNET);
	if (err)
		fprintf(stderr, "nat64: cannot enter network namespace %s: %s (run as root)\n",
			path, strerror(errno));
	close(fd);
	return err ? -1 : 0;
}

/*
 * Runs @fn in the namespace @path names, then comes back: what it opens
 * there (a netlink socket) stays there.
 */
int netns_run_in(const char *path, int (*fn)(void *), void *arg)
{
	int home, err;

	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		perror("nat64: /proc/self/ns/net");
		return -1;
	}
	if (netns_enter(path)) {
		close(home);
		return -1;
	}
	err = fn(arg);
	if (setns(home, CLONE_NEWNET)) {
		perror("nat64: back to our network namespace");
		err = -1;
	}
	close(home);
	return err;
}

/* Is this process in the first user namespace (the host's)? */
int netns_initial_userns(void)
{
	unsigned long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "r");
	int n;

	if (!f)
		return 1;	/* no user namespaces in this kernel */
	n = fscanf(f, "%lu %lu %lu", &inside, &outside, &count);
	fclose(f);
	return n == 3 && !inside && !outside && count == 4294967295UL;
}
