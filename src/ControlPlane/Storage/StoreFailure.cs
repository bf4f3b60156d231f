using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PerfTest.ControlPlane.Storage;

/// <summary>
/// Tells a store that cannot be used (PostgreSQL down, unreachable, shutting down or refusing the login;
/// a SQLite file that cannot be opened, written or locked) from every other failure, and says what is wrong
/// in words that carry no connection string, password or host name.
/// </summary>
public static class StoreFailure
{
    /// <summary>
    /// "the database is unreachable: connection refused" and the like when <paramref name="exception"/> (or an
    /// exception inside it) means the store cannot be used right now; null for any other failure.
    /// </summary>
    public static string? Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var reason = e switch
            {
                PostgresException p => Postgres(p),
                NpgsqlException n => Connection(n.InnerException) ?? "the connection failed",
                SqliteException s => Sqlite(s),
                _ => null,
            };
            if (reason is not null)
            {
                return reason;
            }
            if (e is PostgresException or SqliteException)
            {
                return null; // the server answered: a statement failed, the store is there
            }
        }
        return null;
    }

    /// <summary>The SQLSTATEs that mean the server cannot serve this connection, not that a statement failed.</summary>
    private static string? Postgres(PostgresException e)
    {
        var what = e.SqlState switch
        {
            PostgresErrorCodes.AdminShutdown => "the server is shutting down",
            PostgresErrorCodes.CrashShutdown => "the server is restarting after a crash",
            PostgresErrorCodes.CannotConnectNow => "the server is starting up or shutting down",
            PostgresErrorCodes.TooManyConnections => "the server has no free connection",
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => "the server refused the login",
            PostgresErrorCodes.InvalidCatalogName => "the database does not exist",
            _ when e.SqlState.StartsWith("08", StringComparison.Ordinal) => "the connection failed",
            _ => null,
        };
        return what is null ? null : $"the database is unreachable: {what} ({e.SqlState})";
    }

    /// <summary>What broke under an NpgsqlException that is not the server's answer.</summary>
    private static string Connection(Exception? inner) => "the database is unreachable: " + inner switch
    {
        SocketException s => Socket(s.SocketErrorCode),
        TimeoutException => "it did not answer in time",
        EndOfStreamException => "the server closed the connection",
        IOException { InnerException: SocketException s } => Socket(s.SocketErrorCode),
        IOException => "the connection broke",
        _ => "the connection failed",
    };

    private static string Socket(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.TimedOut => "connecting timed out",
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "the host name does not resolve",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown => "no route to the server",
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => "the server closed the connection",
        _ => "socket error " + error,
    };

    /// <summary>The SQLite result codes of a file that cannot be used now (not of a statement that is wrong).</summary>
    private static string? Sqlite(SqliteException e)
    {
        var what = e.SqliteErrorCode switch
        {
            5 => "the file stayed locked by another writer", // SQLITE_BUSY, after the busy timeout
            6 => "a table stayed locked", // SQLITE_LOCKED
            8 => "the file is read-only", // SQLITE_READONLY
            10 => "reading or writing the file failed", // SQLITE_IOERR
            13 => "the disk is full", // SQLITE_FULL
            14 => "the file cannot be opened", // SQLITE_CANTOPEN
            _ => null,
        };
        return what is null ? null : $"the database is unavailable: {what} (SQLite error {e.SqliteErrorCode})";
    }
}
