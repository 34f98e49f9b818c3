//! Errors as HTTP answers: a status and a JSON body `{"code", "description"}` naming what was
//! wrong. Nothing a client sends may produce a 500.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query parameter is malformed or out of range.
    #[error("parameter {param}: {message}")]
    BadParam { param: String, message: String },
    /// The request body is not what the endpoint takes.
    #[error("request body: {0}")]
    BadBody(String),
    #[error("{0}")]
    NotFound(String),
    #[error("request body larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    UnsupportedMedia(String),
    /// Another write is under way and this one waited its turn too long.
    #[error("{0}")]
    Busy(String),
    /// The data directory could not be written or read. The message is the client's: no
    /// server paths (the detail goes to the log).
    #[error("storage: {0}")]
    Storage(String),
    /// The data directory is full: nothing was stored, nothing stored was lost.
    #[error("{0}")]
    StorageFull(String),
    /// The server failed at something no request can cause (serializing its own data).
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    /// A store's failure as a client may see it: full, or unavailable, without the server's
    /// paths, which go to the log with the rest of the detail.
    pub fn from_store(e: crate::store::FilesError) -> Self {
        tracing::error!("data directory: {e}");
        if e.is_full() {
            ApiError::StorageFull(
                "the data directory is full: the plan was not stored, and nothing stored was lost; try again once space is freed".into(),
            )
        } else {
            ApiError::Storage(
                "the data directory could not be read or written; see the server's log".into(),
            )
        }
    }

    pub fn param(param: &str, message: impl Into<String>) -> Self {
        ApiError::BadParam {
            param: param.to_string(),
            message: message.into(),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::Internal(e.to_string())
    }

    fn status(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadParam { .. } => (StatusCode::BAD_REQUEST, "InvalidParameterValue"),
            ApiError::BadBody(_) => (StatusCode::BAD_REQUEST, "InvalidRequestBody"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "NotFound"),
            ApiError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLarge"),
            ApiError::NotAcceptable(_) => (StatusCode::NOT_ACCEPTABLE, "NotAcceptable"),
            ApiError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "ReadOnly"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "Unauthorized"),
            ApiError::UnsupportedMedia(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType")
            }
            ApiError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "Busy"),
            ApiError::Storage(_) => (StatusCode::SERVICE_UNAVAILABLE, "StorageUnavailable"),
            ApiError::StorageFull(_) => (StatusCode::INSUFFICIENT_STORAGE, "InsufficientStorage"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "InternalError"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status();
        let body = super::responses::ErrorBody {
            code,
            description: self.to_string(),
            parameter: match &self {
                ApiError::BadParam { param, .. } => Some(param.clone()),
                _ => None,
            },
        };
        let mut resp = (status, Json(body)).into_response();
        match &self {
            ApiError::Unauthorized(_) => {
                resp.headers_mut().insert(
                    axum::http::header::WWW_AUTHENTICATE,
                    axum::http::HeaderValue::from_static("Bearer realm=\"planmap\""),
                );
            }
            ApiError::Busy(_) | ApiError::Storage(_) => {
                resp.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("5"),
                );
            }
            // space is an operator's to free: not worth a retry within the minute
            ApiError::StorageFull(_) => {
                resp.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("60"),
                );
            }
            _ => {}
        }
        resp
    }
}
