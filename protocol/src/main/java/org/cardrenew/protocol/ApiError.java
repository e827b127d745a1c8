package org.cardrenew.protocol;

/**
 * Every refusal of the RA API.
 *
 * @param code    stable machine code, one of {@link ErrorCode}
 * @param message for the holder, in the request's language (Accept-Language; zh-TW by default)
 */
public record ApiError(String code, String message) {}
