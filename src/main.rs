//! Thin binary: parse the command line, set up logging, call the library.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

use kommentarsvakt::cli::{ArchiveCommand, Cli, Command, LogFormat};
use kommentarsvakt::clock::SystemClock;
use kommentarsvakt::config::{self, ConfigError};
use kommentarsvakt::daemon::{Daemon, install_signal_handlers};
use kommentarsvakt::pipeline::Pipeline;
use kommentarsvakt::platforms::simulator;
use kommentarsvakt::store::RunTrigger;
use kommentarsvakt::{archive, classify, demo};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("KOMMENTARSVAKT_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn execute(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Run { config } => {
            let cfg = load_config(&config)?;
            let pipeline = Pipeline::build(cfg, Arc::new(SystemClock))
                .await
                .context("starting the service")?;
            let shutdown = CancellationToken::new();
            let reload = install_signal_handlers(shutdown.clone())?;
            Daemon::new(pipeline, Some(config))
                .run(shutdown, reload)
                .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::PollOnce { config } => {
            let cfg = load_config(&config)?;
            let crisis = cfg.crisis.enabled;
            let pipeline = Pipeline::build(cfg, Arc::new(SystemClock))
                .await
                .context("starting the service")?;
            let summary = pipeline.run(RunTrigger::Manual, None, crisis).await?;
            println!("{summary:#?}");
            Ok(if summary.accounts_failed == 0 && !summary.archive_failed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            })
        }
        Command::CheckConfig { file } => Ok(check_config(&file)),
        Command::Simulate {
            listen,
            pages,
            seed,
            call_log,
        } => {
            let handle = simulator::Simulator::start(
                simulator::SimulatorConfig {
                    pages,
                    seed,
                    call_log,
                    ..Default::default()
                },
                Arc::new(SystemClock),
                listen,
            )
            .await?;
            println!(
                "Simulator listening on {} (Graph API {})",
                handle.base_url(),
                handle.api_version()
            );
            for page in handle.pages() {
                println!("  page {} — {}", page.id, page.name);
            }
            tokio::signal::ctrl_c().await?;
            handle.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { data, cycles } => {
            demo::run(&data, cycles).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Archive {
            command: ArchiveCommand::Verify { config, dir },
        } => {
            let dir = match dir {
                Some(d) => d,
                None => load_config(&config)?.archive_dir,
            };
            let report =
                archive::verify(&dir).with_context(|| format!("verifying {}", dir.display()))?;
            for problem in &report.problems {
                println!("{problem}");
            }
            println!(
                "{} record(s) checked in {}: {}",
                report.records_checked,
                dir.display(),
                if report.is_intact() {
                    "intact"
                } else {
                    "PROBLEMS FOUND"
                }
            );
            Ok(if report.is_intact() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Classify {
            text,
            jsonl,
            config,
        } => {
            let policy = match config {
                Some(path) => load_config(&path)?.policy,
                None => classify::jsonl::DEFAULT_POLICY,
            };
            let classifier = classify::Classifier::standard();
            let moderator = classify::jsonl::Moderator::new(
                &classifier,
                policy,
                classify::jsonl::FACEBOOK_CAPABILITIES,
            );
            if jsonl {
                let summary = moderator.run(std::io::stdin().lock(), std::io::stdout().lock())?;
                tracing::info!(
                    classified = summary.classified,
                    errors = summary.errors,
                    "Classified the input lines."
                );
            } else {
                let verdict = moderator.verdict(serde_json::Value::Null, &text.unwrap_or_default());
                println!("{}", serde_json::to_string_pretty(&verdict)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { corpus, labelled } => {
            let corpus = classify::eval::corpus_dir(corpus.as_deref());
            let report =
                classify::eval::evaluate(&classify::Classifier::standard(), &corpus, &labelled)?;
            print!("{report}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load_config(path: &std::path::Path) -> anyhow::Result<config::Config> {
    config::load(path).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Prints every problem and returns exit code 2 when the config is invalid.
fn check_config(file: &std::path::Path) -> ExitCode {
    match config::load(file) {
        Ok(cfg) => {
            println!("{}: OK ({} account(s))", file.display(), cfg.accounts.len());
            ExitCode::SUCCESS
        }
        Err(e @ ConfigError::Invalid { .. }) | Err(e @ ConfigError::Unreadable { .. }) => {
            println!("{e}");
            ExitCode::from(2)
        }
    }
}
