using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PerfTest.Protocols.Epoll;

/// <summary>
/// The few Linux system calls the epoll transport makes (glibc). Blittable signatures only, so each call
/// is a plain P/Invoke without marshalling or allocation.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc.so.6";

    public const int EAGAIN = 11;
    public const int EINTR = 4;
    public const int EINPROGRESS = 115;

    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLET = 1u << 31;

    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CLOEXEC = 0x80000;

    public const int MSG_NOSIGNAL = 0x4000;
    public const int SOL_SOCKET = 1;
    public const int SO_ERROR = 4;

    /// <summary>struct epoll_event is packed (12 bytes) on x86-64 and naturally aligned (16) elsewhere.</summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static readonly int EventDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int maxEvents, int timeout);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int connect(int fd, byte* address, int length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int name, int* value, int* length);

    /// <summary>The SocketError .NET would report for an errno of a socket call (the ones a load test meets).</summary>
    public static SocketError ToSocketError(int errno) => errno switch
    {
        111 => SocketError.ConnectionRefused,
        104 => SocketError.ConnectionReset,
        103 => SocketError.ConnectionAborted,
        110 => SocketError.TimedOut,
        113 => SocketError.HostUnreachable,
        101 => SocketError.NetworkUnreachable,
        100 => SocketError.NetworkDown,
        32 => SocketError.Shutdown,   // EPIPE
        107 => SocketError.NotConnected,
        99 => SocketError.AddressNotAvailable,
        _ => SocketError.SocketError,
    };

    public static SocketException Error(int errno) => new((int)ToSocketError(errno));
}
