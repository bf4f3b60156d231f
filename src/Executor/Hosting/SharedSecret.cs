using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace PerfTest.Executor.Hosting;

/// <summary>
/// Executor and control plane authenticate each other with a shared secret sent as
/// "authorization: Bearer ..." on every gRPC call; a call without it is refused, and the refusal is
/// logged with the caller's address and the reason (never the secret presented).
/// </summary>
public sealed class SharedSecretInterceptor(string secret, ILogger<SharedSecretInterceptor> logger) : Interceptor
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(Scheme + secret);

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        var authorization = context.RequestHeaders.GetValue("authorization");
        var reason = secret.Length == 0 ? "no shared secret is configured here"
            : authorization is null ? "the call carries no authorization header"
            : !authorization.StartsWith(Scheme, StringComparison.Ordinal) ? "the authorization header is not a Bearer secret"
            : !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization), _expected) ? "the Bearer secret does not match"
            : null;
        if (reason is not null)
        {
            logger.LogWarning("Refused a gRPC call to {Method} from {Peer}: {Reason}", context.Method, context.Peer, reason);
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the shared secret is missing or wrong"));
        }
    }
}
