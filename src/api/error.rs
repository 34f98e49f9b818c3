//! Errors as HTTP answers: a status and a JSON body `{"code", "description"}` naming what was
//! wrong. Nothing a client sends may produce a 500.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

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
}

impl ApiError {
    pub fn param(param: &str, message: impl Into<String>) -> Self {
        ApiError::BadParam {
            param: param.to_string(),
            message: message.into(),
        }
    }

    fn status(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadParam { .. } => (StatusCode::BAD_REQUEST, "InvalidParameterValue"),
            ApiError::BadBody(_) => (StatusCode::BAD_REQUEST, "InvalidRequestBody"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "NotFound"),
            ApiError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLarge"),
            ApiError::NotAcceptable(_) => (StatusCode::NOT_ACCEPTABLE, "NotAcceptable"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status();
        let mut body = json!({"code": code, "description": self.to_string()});
        if let ApiError::BadParam { param, .. } = &self {
            body["parameter"] = json!(param);
        }
        (status, Json(body)).into_response()
    }
}
