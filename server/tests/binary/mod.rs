//! The server binary, started as a shop would start it, and spoken to
//! over plain HTTP/1.1.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Starts the server binary on any free port with the merchant token
/// `ops:ops-token-1` and `args`; returns it and the address it printed.
pub fn start(args: &[&OsStr]) -> (Child, String) {
    let (child, addr, _) = start_logged(args);
    (child, addr)
}

/// [`start`], and what the server writes on standard error as it comes
/// (also passed on to the test's own).
pub fn start_logged(args: &[&OsStr]) -> (Child, String, Arc<Mutex<String>>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftersale-server"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--merchant-tokens",
            "ops:ops-token-1",
        ])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let log = Arc::new(Mutex::new(String::new()));
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let written = log.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        while err.read_line(&mut line).is_ok_and(|n| n > 0) {
            eprint!("{line}");
            written.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    // Keep reading what it prints, so its pipe stays open.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (child, addr, log)
}

/// One HTTP/1.1 exchange on a fresh connection: status and body.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String)> {
    exchange(TcpStream::connect(addr)?, addr, method, path, headers, body)
}

/// [`http`] from the local address `local` (`127.0.0.2`: another client
/// of a server on loopback).
pub fn http_from(
    local: std::net::IpAddr,
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(std::net::SocketAddr::new(local, 0))?;
        let server = addr.parse().map_err(std::io::Error::other)?;
        socket.connect(server).await?.into_std()
    })?;
    stream.set_nonblocking(false)?;
    exchange(stream, addr, method, path, headers, body)
}

/// One HTTP/1.1 exchange on `stream`: status and body.
fn exchange(
    mut stream: TcpStream,
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String)> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {response:?}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    Ok((status, body))
}
