namespace PerfTest.ControlPlane.Api.Contracts;

/// <summary>
/// Endpoint metadata that only feeds the OpenAPI document: request bodies and error responses.
/// </summary>
public static class EndpointDocumentation
{
    /// <summary>
    /// Content types of a documented JSON body. "*/*" is there on purpose: routing turns accepted
    /// content types into a match condition (AcceptsMatcherPolicy answers 415 when none fits), but
    /// the handlers parse the body themselves whatever its Content-Type, and documenting the body must
    /// not change that. <see cref="OpenApiTransformers"/> drops "*/*" from the document again.
    /// </summary>
    internal const string AnyContentType = "*/*";

    private static readonly int[] AlwaysPossible =
    [
        StatusCodes.Status400BadRequest,      // malformed project_id, ids, query values or body
        StatusCodes.Status401Unauthorized,    // no or bad signature / token
        StatusCodes.Status403Forbidden,       // the credential may not use this {project_id}
        StatusCodes.Status500InternalServerError,
        StatusCodes.Status503ServiceUnavailable, // the database cannot be used right now
    ];

    /// <summary>Documents <typeparamref name="TRequest"/> as the JSON body, and the 413 a too large body gets.</summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder builder) where TRequest : notnull =>
        builder.Accepts<TRequest>("application/json", AnyContentType)
            .Produces<ErrorBody>(StatusCodes.Status413PayloadTooLarge);

    /// <summary>
    /// Documents the error body for the statuses every operation can answer (400, 401, 403, 500, 503)
    /// and for <paramref name="also"/> (404 where a named resource may not exist, 409 on conflicts).
    /// </summary>
    public static RouteHandlerBuilder WithErrors(this RouteHandlerBuilder builder, params int[] also)
    {
        foreach (var status in AlwaysPossible.Concat(also).Order())
        {
            builder.Produces<ErrorBody>(status);
        }
        return builder;
    }
}
