#!/usr/bin/env python3
"""Splits a process's RSS (a copy of /proc/PID/smaps) into what holds it, for a .NET process on glibc.

    benchmarks/rss/smaps-summary.py OUT/smaps-30.txt OUT/smaps-210.txt

gc:     anonymous mappings inside a run of adjacent anonymous mappings of 4 GB or more (the GC's reserved range;
        with DOTNET_GCHeapHardLimit the range is smaller and lands in other_anon).
arena:  glibc malloc arenas of the threads (64 MB aligned, at most 64 MB). brk: the main arena ([heap]).
stack:  read-write mappings right after a 4 KB guard page.
code:   the runtime's double-mapped JIT code (memfd:doublemapper). files: mapped files (assemblies, libraries).
"""
import re
import sys


def load(path):
    maps, cur = [], None
    for line in open(path):
        if re.match(r'^[0-9a-f]+-[0-9a-f]+ ', line):
            p = line.split()
            lo, hi = (int(x, 16) for x in p[0].split('-'))
            cur = [lo, hi, p[1], p[5] if len(p) > 5 else '[anon]', 0]
            maps.append(cur)
        elif line.startswith('Rss:') and cur:
            cur[4] = int(line.split()[1])
    return maps


for path in sys.argv[1:]:
    maps = load(path)
    runs = []
    for m in maps:
        if m[3] != '[anon]':
            continue
        if runs and runs[-1][1] == m[0]:
            runs[-1][1] = m[1]
        else:
            runs.append([m[0], m[1]])
    huge = [r for r in runs if r[1] - r[0] >= 4 << 30]
    kb = dict(gc=0, arena=0, brk=0, stack=0, other_anon=0, code=0, files=0)
    prev = None
    for m in maps:
        if m[3] == '[heap]':
            kb['brk'] += m[4]
        elif m[3] == '[anon]':
            if prev and prev[1] == m[0] and prev[2].startswith('---') and prev[1] - prev[0] == 4096 and prev[3] == '[anon]':
                kb['stack'] += m[4]
            elif m[0] % (64 << 20) == 0 and m[1] - m[0] <= 64 << 20:
                kb['arena'] += m[4]
            elif any(r[0] <= m[0] < r[1] for r in huge):
                kb['gc'] += m[4]
            else:
                kb['other_anon'] += m[4]
        elif 'doublemapper' in m[3]:
            kb['code'] += m[4]
        else:
            kb['files'] += m[4]
        prev = m
    print('%s: RSS %d MB = ' % (path, sum(kb.values()) / 1024) + ', '.join('%s %d' % (k, v / 1024) for k, v in kb.items()) + ' (MB)')
