/**
 * Presigned uploads ({@code POST /v1/files}, then {@code PUT upload_url}).
 *
 * <p>Wiring:
 * <ul>
 *   <li>{@code POST /v1/files}: {@code presigner.presign(accountId, request)}; store the file record
 *       ({@code upload.request()}, {@code upload.grant()}) as pending; answer {@code upload.toResponse()}.
 *       {@link io.tonearm.api.files.PresignValidationException} lists field errors (413 when
 *       {@code isOnlyTooLarge()}, else 400).</li>
 *   <li>{@code PUT {signer.basePath()}/{fileId}}: {@code grant = signer.verifyDecoded(fileId, queryParamMap, now)}
 *       ({@link io.tonearm.api.files.UploadUrlException}: 400 malformed, 403 bad signature, unknown key or
 *       expired); {@code grant.checkUpload(contentTypeHeader, contentLengthOr-1)}; then stream the body through
 *       {@code new ExactLengthInputStream(body, grant.sizeBytes())} into the blob store
 *       ({@link io.tonearm.api.files.UploadRejectedException} carries 400/413/415).</li>
 *   <li>A URL stays valid until it expires, so the route must make it single-use: accept the PUT only while the
 *       file record (same account) is still pending, and mark it uploaded atomically.</li>
 * </ul>
 */
package io.tonearm.api.files;
