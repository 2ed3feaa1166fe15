// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The nat64 authors. All Rights Reserved.
 *
 * The configfs tree, found wherever the tool runs. Under "ip netns exec"
 * /sys is a fresh sysfs with nothing mounted on /sys/kernel/config, and
 * a container may never have mounted configfs at all; instead of failing,
 * the tool then mounts configfs in a mount namespace of its own, which
 * nobody else sees and which goes when the tool exits.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cfs.h"

#define CONFIGFS_MAGIC 0x62656570

static int is_configfs(const char *path)
{
	struct statfs sfs;

	return !statfs(path, &sfs) && sfs.f_type == CONFIGFS_MAGIC;
}

/* A private mount namespace with configfs where the tool looks for it. */
static int mount_private(void)
{
	if (unshare(CLONE_NEWNS)) {
		fprintf(stderr, "nat64: configfs is not mounted on %s and a private mount namespace cannot be made (%s); mount it: mount -t configfs none %s\n",
			CFS_MOUNT, strerror(errno), CFS_MOUNT);
		return -1;
	}
	/* Our mounts must not propagate back to the namespace we came from. */
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("configfs", CFS_MOUNT, "configfs", 0, NULL)) {
		fprintf(stderr, "nat64: cannot mount configfs on %s (%s); is configfs in the kernel (modprobe configfs)?\n",
			CFS_MOUNT, strerror(errno));
		return -1;
	}
	return 0;
}

/**
 * cfs_open() - make CFS_ROOT reachable, or say why it is not
 *
 * Return: 0, or -1 with the reason and what to do printed.
 */
int cfs_open(void)
{
	static int opened;
	struct stat st;

	if (opened)
		return 0;
	if (!is_configfs(CFS_MOUNT) && mount_private())
		return -1;
	if (stat(CFS_ROOT, &st)) {
		fprintf(stderr, "nat64: %s: %s; load the module first: modprobe nat64\n",
			CFS_ROOT, strerror(errno));
		return -1;
	}
	opened = 1;
	return 0;
}

/* Can this process change the configuration (root of the host)? */
int cfs_writable(void)
{
	return !access(CFS_ROOT, W_OK);
}

static void cfs_path(char *path, size_t size, const char *rel)
{
	snprintf(path, size, "%s/%s", CFS_ROOT, rel);
}

/* One attribute, its trailing newline cut. Return: 0 or -errno. */
int cfs_read(const char *rel, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t len;
	int fd;

	cfs_path(path, sizeof(path), rel);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	if (len < 0) {
		len = -errno;
		close(fd);
		return len;
	}
	close(fd);
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Return: 0 or -errno; the kernel log says more (see dmesg). */
int cfs_write(const char *rel, const char *value)
{
	char path[PATH_MAX];
	int fd, err = 0;

	cfs_path(path, sizeof(path), rel);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		err = -errno;
	close(fd);
	return err;
}

int cfs_mkdir(const char *rel)
{
	char path[PATH_MAX];

	cfs_path(path, sizeof(path), rel);
	return mkdir(path, 0755) ? -errno : 0;
}

int cfs_rmdir(const char *rel)
{
	char path[PATH_MAX];

	cfs_path(path, sizeof(path), rel);
	return rmdir(path) ? -errno : 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directories under @rel, sorted; NULL with errno set on failure. */
char **cfs_list(const char *rel, size_t *n)
{
	return cfs_list_type(rel, DT_DIR, n);
}

/* The entries of type @type (DT_DIR, DT_REG) under @rel, sorted. */
char **cfs_list_type(const char *rel, int type, size_t *n)
{
	char path[PATH_MAX], **names = NULL, **grown;
	size_t count = 0, cap = 0;
	struct dirent *d;
	DIR *dir;

	cfs_path(path, sizeof(path), rel);
	dir = opendir(path);
	if (!dir)
		return NULL;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || d->d_type != type)
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 8;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				goto oom;
			names = grown;
		}
		names[count] = strdup(d->d_name);
		if (!names[count])
			goto oom;
		count++;
	}
	closedir(dir);
	if (!names)
		names = calloc(1, sizeof(*names));
	if (names)
		qsort(names, count, sizeof(*names), name_cmp);
	*n = count;
	return names;
oom:
	closedir(dir);
	cfs_list_free(names, count);
	errno = ENOMEM;
	return NULL;
}

void cfs_list_free(char **names, size_t n)
{
	while (n--)
		free(names[n]);
	free(names);
}
