using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PerfTest.Protocols.Epoll;

/// <summary>
/// One epoll instance and the thread that waits on it, like one wrk thread. Sockets register once,
/// edge-triggered, for both directions; each event raises the socket's readiness signals, and the
/// continuations of whoever waited run right here, inline, so a virtual user's next request is written
/// on this thread without a hop through the thread pool.
/// </summary>
internal sealed unsafe class EpollLoop
{
    private const int MaxEvents = 256;

    private static readonly Lazy<EpollLoop[]> s_loops = new(CreateLoops);
    private static int s_next;

    private readonly int _epfd;
    private readonly Lock _slotsLock = new();
    private EpollSocket?[] _slots = new EpollSocket?[64];
    private readonly Stack<int> _free = new();
    private int _used;
    private uint _generation;

    private EpollLoop(int index)
    {
        _epfd = Libc.epoll_create1(Libc.EPOLL_CLOEXEC);
        if (_epfd < 0)
        {
            throw Libc.Error(Marshal.GetLastPInvokeError());
        }

        var thread = new Thread(Run) { IsBackground = true, Name = $"perftest-epoll-{index}" };
        thread.Start();
    }

    /// <summary>
    /// The loops, one per core (PERFTEST_EPOLL_THREADS overrides), taken round-robin. Not one loop for all: a
    /// single loop thread that ping-pongs with a single-threaded target on the same machine gets pulled onto
    /// the target's core by the scheduler's wake-up affinity, and then both share one core while the other
    /// idles (measured: 40-47 k requests/s instead of 60-70 k, switching mid-run).
    /// </summary>
    public static EpollLoop Next()
    {
        EpollLoop[] loops = s_loops.Value;
        return loops[(int)((uint)Interlocked.Increment(ref s_next) % (uint)loops.Length)];
    }

    /// <summary>Adds the socket; returns the key its events carry (slot and generation, so a late event for a reused slot is ignored).</summary>
    public ulong Register(EpollSocket socket, int fd)
    {
        ulong key;
        lock (_slotsLock)
        {
            int slot;
            if (_free.Count > 0)
            {
                slot = _free.Pop();
            }
            else
            {
                if (_used == _slots.Length)
                {
                    Array.Resize(ref _slots, _slots.Length * 2);
                }

                slot = _used++;
            }

            key = ((ulong)++_generation << 32) | (uint)slot;
            socket.Key = key;
            Volatile.Write(ref _slots[slot], socket);
        }

        byte* ev = stackalloc byte[16];
        *(uint*)ev = Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLRDHUP | Libc.EPOLLET;
        *(ulong*)(ev + Libc.EventDataOffset) = key;
        if (Libc.epoll_ctl(_epfd, Libc.EPOLL_CTL_ADD, fd, ev) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Unregister(key, -1);
            throw Libc.Error(errno);
        }

        return key;
    }

    /// <summary>Removes the socket (before its descriptor is closed, so the number can be reused safely).</summary>
    public void Unregister(ulong key, int fd)
    {
        if (fd >= 0)
        {
            byte* ev = stackalloc byte[16];
            _ = Libc.epoll_ctl(_epfd, Libc.EPOLL_CTL_DEL, fd, ev);
        }

        lock (_slotsLock)
        {
            int slot = (int)(uint)key;
            if (_slots[slot] is { } current && current.Key == key)
            {
                Volatile.Write(ref _slots[slot], null);
                _free.Push(slot);
            }
        }
    }

    private static EpollLoop[] CreateLoops()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("PERFTEST_EPOLL_THREADS"), out int configured) && configured > 0
            ? configured
            : Environment.ProcessorCount;
        var loops = new EpollLoop[count];
        for (int i = 0; i < loops.Length; i++)
        {
            loops[i] = new EpollLoop(i);
        }

        return loops;
    }

    // Fully optimised at once: it is entered once and never returns, so tiering could only replace it on the stack
    // (OSR) after running its loop as unoptimised code for a while, under load.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run()
    {
        int size = Libc.EventSize;
        byte* events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * size));
        while (true)
        {
            int count = Libc.epoll_wait(_epfd, events, MaxEvents, -1);
            if (count < 0)
            {
                Debug.Assert(Marshal.GetLastPInvokeError() == Libc.EINTR, "epoll_wait fails only when interrupted");
                continue;
            }

            for (int i = 0; i < count; i++)
            {
                byte* ev = events + (i * size);
                Dispatch(*(uint*)ev, *(ulong*)(ev + Libc.EventDataOffset));
            }
        }
    }

    private void Dispatch(uint flags, ulong key)
    {
        EpollSocket?[] slots = Volatile.Read(ref _slots);
        int slot = (int)(uint)key;
        EpollSocket? socket = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
        if (socket is null || socket.Key != key)
        {
            return;  // closed meanwhile
        }

        try
        {
            socket.OnEvents(flags);
        }
        catch (Exception error)
        {
            // A continuation that throws is a bug elsewhere; it must not stop every other connection of this loop.
            Debug.Fail(error.ToString());
        }
    }
}
